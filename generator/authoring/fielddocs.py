"""What each field of the department file means, in the docs' words (docs/clerks/data-file.md): (title, explanation).

Keys are dotted paths; ``*`` stands for a free key (a 科目 code, a list item, a category).
The JSON Schema's hover help and the comments of ``juesuan new`` both come from here;
amounts get their unit added where they are used. A test keeps this in step with the shapes.
"""

from __future__ import annotations

from generator.forms.vocabulary import BALANCED_TABLES, COLUMN_LABELS, FUND_LABELS, THREE_PUBLIC_LABELS
from generator.forms.vocabulary import THREE_PUBLIC_ITEMS as THREE_PUBLIC_ITEMS_ORDER
from generator.source.shapes import AMOUNT

DERIVED = "可推算，工具计算；照报表填写时工具按所填数列示并核对"

FIELDS: dict[str, tuple[str, str]] = {
    "year": ("决算年度", "四位年份，如 2024；须与文件所在的年度目录 content/<年度>/ 一致"),
    "id": ("部门标识", "可省略；即文件名（网址的一部分），填写时须与文件名一致"),
    "form": ("表样年度", "可省略，默认取不晚于决算年度的最新表样"),
    "evaluations": ("第五部分 附件：绩效自评表", "overall 部门整体支出绩效自评表、projects 项目支出绩效自评表（资金、年度目标、绩效指标）；见 docs/clerks/data-file.md“绩效自评表”"),
    "profile": ("省份格式", "可省略，默认取站点配置 site.yaml 的 profile（未配置时为 shaanxi 陕西格式）；可选 shaanxi、shanghai、shanxi、sichuan 或站点自己的格式（juesuan profiles 列出全部）"),
    "published": ("公开日期", "可省略；部门决算向社会公开的日期，如 2024-08-30，显示在网页上并用于订阅源（Atom）；不填时网页显示生成日期"),
    "unit": ("金额单位", "万元（默认，保留两位小数）或 元；按元填写时工具精确换算，显示时四舍五入到 0.01 万元"),
    "department": ("部门", "部门名称和决算范围"),
    "department.name": ("部门名称", "显示在封面、各表“部门：”一行和网页标题"),
    "department.scope": ("决算范围", "汇总（默认，本级及所属单位）或 本级；显示在各表“部门：”一行"),
    "cover": ("封面", "保密审查和主要负责人审签情况"),
    "cover.secrecy_review": ("保密审查情况", "如 已审查"),
    "cover.head_approval": ("主要负责人审签情况", "如 已审签"),

    "overview": ("第一部分 部门概况", "主要职责、机构设置、决算单位构成和人员情况"),
    "overview.duties": ("主要职责", "列表，每项一段（Markdown），按顺序自动编号"),
    "overview.organization": ("内设机构及下属单位", "Markdown，可分段"),
    "overview.units": ("决算单位构成", "列表，第一项为本级，如 ××局（本级）"),
    "overview.unit_notes": ("决算单位的备注", "以单位名称为键，如 ××中心: 预算不单列，并入本级；有备注时表中加“备注”一栏"),
    "overview.staff": ("部门人员情况", "编制数、实有人数按类别填写，合计自动计算"),
    "overview.staff.establishment": ("编制数", "按类别，如 {行政编制: 47, 参公编制: 104, 事业编制: 30}"),
    "overview.staff.establishment.*": ("编制类别", "该类别的编制数"),
    "overview.staff.actual": ("实有人数", "按类别，如 {行政: 49, 参公: 95, 事业: 29}"),
    "overview.staff.actual.*": ("人员类别", "该类别的实有人数"),
    "overview.staff.actual_notes": ("实有人数类别的补充说明", "如 {行政: 含工勤 4 名}；类别须是实有人数中的类别"),
    "overview.staff.actual_notes.*": ("人员类别", "该类别的补充说明"),
    "overview.staff.retired": ("离退休人员", "单位管理的离退休人员数"),
    "overview.staff.establishment_total": ("编制总数", "可省略，由各类别计算；填写时须等于各类别之和"),
    "overview.staff.actual_total": ("实有人数总数", "可省略，由各类别计算；填写时须等于各类别之和"),

    "tables": ("第三部分 决算表", "只填项级（7 位）科目，类、款、合计以及公开01表、公开04表由工具计算；一个数只填一次"),
    "tables.basic_detail": ("公开06表 一般公共预算财政拨款基本支出决算明细表",
                            "以 5 位经济分类科目（款）为键，值为金额，如 30101: 744.79；类、人员经费合计、公用经费合计由工具计算"),
    "tables.basic_detail.personnel": ("人员经费合计", "工资福利支出（301）与对个人和家庭的补助（303）之和；" + DERIVED),
    "tables.basic_detail.public": ("公用经费合计", "其余各类之和；" + DERIVED),
    "tables.three_public": ("公开09表 财政拨款“三公”经费及会议费、培训费支出决算表",
                            "预算数、决算数各一行；合计和公务用车小计由工具计算"),
    "tables.three_public.budget": ("预算数", "公开09表 预算数一行"),
    "tables.three_public.actual": ("决算数", "公开09表 决算数一行"),
    "tables.summary": ("公开01表 收入支出决算总表的补充数", "其余各行由公开02、03、04表计算"),
    "tables.summary.use_of_reserve": ("使用非财政拨款结余（含专用结余）", "公开01表 收入方"),
    "tables.summary.opening": ("年初结转和结余", "公开01表 收入方"),
    "tables.summary.distribution": ("结余分配", "公开01表 支出方"),
    "tables.summary.general_fiscal": ("一般公共预算财政拨款收入", "公开01表 收入方，来自公开04表；" + DERIVED),
    "tables.summary.fund_fiscal": ("政府性基金预算财政拨款收入", "公开01表 收入方，来自公开04表；" + DERIVED),
    "tables.summary.soe_fiscal": ("国有资本经营预算财政拨款收入", "公开01表 收入方，来自公开04表；" + DERIVED),
    "tables.summary.superior": ("上级补助收入", "公开01表 收入方，来自公开02表；" + DERIVED),
    "tables.summary.business": ("事业收入", "公开01表 收入方，来自公开02表；" + DERIVED),
    "tables.summary.operating": ("经营收入", "公开01表 收入方，来自公开02表；" + DERIVED),
    "tables.summary.affiliate": ("附属单位上缴收入", "公开01表 收入方，来自公开02表；" + DERIVED),
    "tables.summary.other": ("其他收入", "公开01表 收入方，来自公开02表；" + DERIVED),
    "tables.summary.income_total": ("本年收入合计", "公开01表；" + DERIVED),
    "tables.summary.income_grand_total": ("收入总计", "公开01表；" + DERIVED),
    "tables.summary.expenditure_total": ("本年支出合计", "公开01表；" + DERIVED),
    "tables.summary.closing": ("年末结转和结余", "公开01表 支出方；" + DERIVED),
    "tables.summary.expenditure_grand_total": ("支出总计", "公开01表；" + DERIVED),
    "tables.summary.*": ("支出", "公开01表 支出方该类本年支出，来自公开03表；" + DERIVED),
    "tables.fiscal_summary": ("公开04表 财政拨款收入支出决算总表的补充数", "支出各栏由公开05、07、08表计算"),
    "tables.info": ("公开10表 部门决算公开相关信息统计表", "只有印公开10表的省份格式（如山西）使用；不填的数取自情况说明十至十二"),
    "tables.info.procurement": ("公开10表 一、政府采购情况", "total 合计、goods 货物、works 工程、services 服务；应与情况说明十一一致"),
    "tables.info.procurement.total": ("政府采购支出合计", "货物、工程、服务之和"),
    "tables.info.procurement.goods": ("政府采购货物支出", "同 narrative.procurement.goods"),
    "tables.info.procurement.works": ("政府采购工程支出", "同 narrative.procurement.works"),
    "tables.info.procurement.services": ("政府采购服务支出", "同 narrative.procurement.services"),
    "tables.info.operating_costs": ("公开10表 二、机关运行经费", "total 合计、administrative 行政单位、civil_service 参照公务员法管理事业单位"),
    "tables.info.operating_costs.total": ("机关运行经费合计", "应等于情况说明十的机关运行经费决算数"),
    "tables.info.operating_costs.administrative": ("行政单位机关运行经费", "公开10表"),
    "tables.info.operating_costs.civil_service": ("参照公务员法管理事业单位机关运行经费", "公开10表"),
    "tables.info.vehicles": ("公开10表 三、车辆数（辆）", "按车辆类别，如 执法执勤用车: 3；total 为合计；应与情况说明十二一致"),
    "tables.info.equipment": ("单价100万元（含）以上设备（台、套）", "应与情况说明十二一致"),
    "tables.fiscal_summary.income": ("本年财政拨款收入", "general 一般公共预算、soe 国有资本经营预算（政府性基金取自公开07表）"),
    "tables.fiscal_summary.opening": ("年初财政拨款结转和结余", "general 一般公共预算、soe 国有资本经营预算（政府性基金取自公开07表）"),
    "tables.fiscal_summary.income_total": ("本年收入合计", "公开04表；" + DERIVED),
    "tables.fiscal_summary.opening_total": ("年初财政拨款结转和结余合计", "公开04表；" + DERIVED),
    "tables.fiscal_summary.income_grand_total": ("收入总计", "公开04表；" + DERIVED),
    "tables.fiscal_summary.expenditure_total": ("本年支出合计", "公开04表，按资金来源分栏；" + DERIVED),
    "tables.fiscal_summary.closing": ("年末财政拨款结转和结余", "公开04表，按资金来源分栏；" + DERIVED),
    "tables.fiscal_summary.expenditure_grand_total": ("支出总计", "公开04表，按资金来源分栏；" + DERIVED),
    "tables.fiscal_summary.*": ("支出", "公开04表 支出方该类，按资金来源分栏；" + DERIVED),

    "narrative": ("第二部分 情况说明", "表中没有的数（上年数、年初预算等）和原因；句子、占比、完成率和增减用语由工具生成"),
    "narrative.overall": ("一、收入支出决算总体情况", "上年总计和增减原因"),
    "narrative.overall.previous_total": ("上年收入、支出总计", "上年度决算公开01表 总计；有上年文件时 juesuan check 核对；"
                                                          "正式公开必填（上年没有数的填 0，有意不与上年比较写 null）"),
    "narrative.income": ("二、收入决算情况", "只有 text：自己写这一节"),
    "narrative.expenditure": ("三、支出决算情况", "只有 text：自己写这一节"),
    "narrative.basic": ("六、一般公共预算财政拨款基本支出决算情况", "只有 text：自己写这一节"),
    "narrative.overall.reason": ("收支总计增减的主要原因", "不必写金额和百分比，由工具生成"),
    "narrative.fiscal": ("四、财政拨款收入支出决算总体情况", "上年总计和增减原因"),
    "narrative.fiscal.previous_total": ("上年财政拨款收入、支出总计", "上年度决算公开04表 总计；有上年文件时 juesuan check 核对"),
    "narrative.fiscal.reason": ("财政拨款收支增减的主要原因", "不必写金额和百分比"),
    "narrative.general_budget": ("五、一般公共预算财政拨款支出决算情况", "上年数、年初预算和原因"),
    "narrative.general_budget.budget": ("年初预算合计", "可省略，由各项年初预算计算；填写时须等于各项之和"),
    "narrative.general_budget.previous": ("上年一般公共预算财政拨款支出", "上年度决算公开05表 合计；有上年文件时 juesuan check 核对"),
    "narrative.general_budget.reason": ("一般公共预算财政拨款支出增减的主要原因", "不必写金额和百分比"),
    "narrative.general_budget.reason_budget": ("一般公共预算财政拨款支出决算与年初预算不同的主要原因",
                                               "决算数大于或小于年初预算合计时填写"),
    "narrative.general_budget.items": ("各项级科目的年初预算",
                                       "公开05表每个项级科目一项，如 2080101: {budget: 1387.08, reason: …}；"
                                       "年初预算取自年初部门预算，不在决算表中；合计自动计算"),
    "narrative.general_budget.items.*": ("科目", "键为公开05表中的 7 位项级科目代码；公开文本只按类（或款）列年初预算时，"
                                                "可用 3 位类（5 位款）代码，其年初预算涵盖其下各项"),
    "narrative.general_budget.items.*.budget": ("年初预算数", "该科目年初部门预算的一般公共预算财政拨款"),
    "narrative.general_budget.items.*.text": ("该科目的整段说明（自己写）", "Markdown；填写后代替生成的句子印出（科目名称照印）"),
    "narrative.general_budget.items.*.reason": ("决算与年初预算不同的主要原因", "决算大于或小于预算时填写"),
    "narrative.general_budget.items.*.purpose": ("主要用于", "该科目的钱用在哪些方面，如“局本部人员经费及公用经费等的基本支出”"),
    "narrative.gov_fund": ("七、政府性基金预算财政拨款收入支出决算情况", "公开07表为空时工具写“已公开空表”"),
    "narrative.gov_fund.previous": ("上年政府性基金预算财政拨款支出", "上年度决算公开07表 本年支出合计"),
    "narrative.gov_fund.reason": ("政府性基金预算财政拨款支出增减的主要原因", "表为空且上年也没有支出时不填"),
    "narrative.soe_capital": ("八、国有资本经营预算财政拨款支出决算情况", "公开08表为空时工具写“已公开空表”"),
    "narrative.soe_capital.previous": ("上年国有资本经营预算财政拨款支出", "上年度决算公开08表 合计"),
    "narrative.soe_capital.reason": ("国有资本经营预算财政拨款支出增减的主要原因", "表为空且上年也没有支出时不填"),
    "narrative.three_public": ("九、财政拨款“三公”经费及会议费、培训费支出决算情况", "上年数、原因和次数、人次；金额取自公开09表"),
    "narrative.three_public.previous": ("上年决算数", "上年度决算公开09表 决算数，按项目；有上年文件时 juesuan check 核对"),
    "narrative.three_public.reason_budget": ("“三公”经费决算数与预算数不同的主要原因", ""),
    "narrative.three_public.reason_previous": ("“三公”经费决算数与上年相比增减的主要原因", ""),
    "narrative.three_public.abroad": ("因公出国（境）费", "原因和团组数、人次"),
    "narrative.three_public.abroad.groups": ("因公出国（境）团组数", "个"),
    "narrative.three_public.abroad.people": ("因公出国（境）人次", "人次"),
    "narrative.three_public.vehicle_purchase": ("公务用车购置费", "原因和购置车辆数"),
    "narrative.three_public.vehicle_purchase.vehicles": ("本年度购置公务用车", "辆"),
    "narrative.three_public.vehicle_operation": ("公务用车运行维护费", "原因和公务用车保有量"),
    "narrative.three_public.vehicle_operation.vehicles": ("年末公务用车保有量", "辆"),
    "narrative.three_public.reception": ("公务接待费", "原因，外宾接待和国内公务接待情况"),
    "narrative.three_public.reception.foreign": ("外宾接待支出", "公务接待费决算数中的外宾接待部分；国内公务接待支出由工具相减得出"),
    "narrative.three_public.reception.foreign_groups": ("外宾团组数", "个"),
    "narrative.three_public.reception.foreign_people": ("外宾人次", "人次"),
    "narrative.three_public.reception.domestic_note": ("国内公务接待的主要内容", "如 主要是本部门与相关单位交流工作发生的接待支出"),
    "narrative.three_public.reception.domestic_groups": ("国内来访团组数", "个"),
    "narrative.three_public.reception.domestic_people": ("国内来宾人次", "人次"),
    "narrative.three_public.meeting": ("会议费", "原因和会议次数、人次"),
    "narrative.three_public.meeting.count": ("全年召开会议次数", "次"),
    "narrative.three_public.meeting.people": ("参会人次", "人次"),
    "narrative.three_public.training": ("培训费", "原因和培训次数、人次"),
    "narrative.three_public.training.count": ("全年组织培训次数", "次"),
    "narrative.three_public.training.people": ("参训人次", "人次"),
    "narrative.operating_costs": ("十、机关运行经费", "行政单位和参照公务员法管理的事业单位一般公共预算财政拨款基本支出中的日常公用经费"),
    "narrative.operating_costs.budget": ("机关运行经费预算数", ""),
    "narrative.operating_costs.actual": ("机关运行经费决算数", ""),
    "narrative.operating_costs.previous": ("上年机关运行经费决算数", "上年度文件的 operating_costs.actual；有上年文件时 juesuan check 核对"),
    "narrative.operating_costs.reason": ("机关运行经费增减的主要原因", ""),
    "narrative.procurement": ("十一、政府采购支出", "采购金额和授予中小企业、小微企业的合同金额"),
    "narrative.procurement.goods": ("政府采购货物支出", ""),
    "narrative.procurement.works": ("政府采购工程支出", ""),
    "narrative.procurement.services": ("政府采购服务支出", ""),
    "narrative.procurement.sme": ("授予中小企业合同金额", "按货物、工程、服务，各不超过该类采购支出"),
    "narrative.procurement.sme.goods": ("授予中小企业的货物合同金额", ""),
    "narrative.procurement.sme.works": ("授予中小企业的工程合同金额", ""),
    "narrative.procurement.sme.services": ("授予中小企业的服务合同金额", ""),
    "narrative.procurement.small_micro": ("其中授予小微企业合同金额", "不超过授予中小企业合同金额"),
    "narrative.procurement.note": ("政府采购的补充说明", "Markdown"),
    "narrative.assets": ("十二、国有资产占用情况", "截至本年 12 月 31 日的车辆和大型设备"),
    "narrative.assets.vehicles": ("车辆数", "按车辆类别，如 {机要通信用车: 1, 其他用车: 1}；类别："
                                                 "副部（省）级及以上领导用车、主要负责人用车、机要通信用车、应急保障用车、"
                                                 "执法执勤用车、特种专业技术用车、离退休干部服务用车、其他用车"),
    "narrative.assets.vehicles.*": ("车辆类别", "该类别的车辆数"),
    "narrative.assets.equipment": ("单价 100 万元（含）以上设备", "台（套），不含车辆"),
    "narrative.assets.purchased_vehicles": ("本年度购置车辆", "辆"),
    "narrative.assets.purchased_equipment": ("本年度购置单价 100 万元（含）以上设备", "台（套），不含车辆"),
    "narrative.assets.note": ("国有资产占用的补充说明", "Markdown"),
    "narrative.performance": ("十三、预算绩效情况说明", "Markdown，可用 #### 小标题"),
    "narrative.other": ("十四、其他需要说明的情况", "Markdown"),

    "glossary": ("第四部分 名词解释", "在默认名词解释后追加，或替换默认名词解释"),
    "glossary.mode": ("名词解释的方式", "extend：在默认名词后追加（默认）；replace：只用下列名词"),
    "glossary.terms": ("名词", "列表，每项 term（名词）和 text（解释）"),
    "glossary.terms.*": ("名词解释", "一个名词及其解释"),
    "glossary.terms.*.term": ("名词", ""),
    "glossary.terms.*.text": ("解释", ""),
    "attachments": ("第五部分 附件", "列表，每个附件 group（分组标题，可省略）、title（标题）、body（正文）"),
    "attachments.*": ("附件", "一个附件"),
    "attachments.*.group": ("分组标题", "可省略，如 部门重点评价项目绩效评价结果"),
    "attachments.*.title": ("附件标题", "如 ××项目绩效评价报告"),
    "attachments.*.body": ("附件正文", "Markdown，支持表格；不允许直接写 HTML；单独一行 [评分表] 处插入 scores"),
    "attachments.*.scores": ("指标评分表", "绩效评价报告的一级指标分值、得分；得分率、合计由工具计算并核对"),
    "tail_differences": ("尾差登记", "字段: 填报数减计算数，字段名取自 juesuan check 的提示，如 tables.basic_detail.301: -0.01"),
    "tail_differences.*": ("登记的尾差", "填报数减计算数"),
}

OWN_TEXT = ("Markdown；填写后代替工具按格式生成的句子印出（标题照印），其中的金额、占比、增减由 juesuan check "
            "的 text-figures 规则与表核对")

# Columns of the coded tables (公开02、03、05、07、08表), by table.
TABLE_TITLES = {
    "income": "公开02表 收入决算表",
    "expenditure": "公开03表 支出决算表",
    "general_budget": "公开05表 一般公共预算财政拨款支出决算表",
    "gov_fund": "公开07表 政府性基金预算财政拨款收入支出决算表",
    "soe_capital": "公开08表 国有资本经营预算财政拨款支出决算表（上海等格式印作收入支出决算表，填年初、本年收入）",
}
# 公开07表's 基本/项目/小计 sit under its 本年支出 header.
COLUMNS = {key: {c: (f"本年支出 {label}" if key in BALANCED_TABLES and c in ("basic", "project") else label)
                 for c, label in labels.items()} for key, labels in COLUMN_LABELS.items()}
DERIVED_COLUMNS = {"total", "closing"}
THREE_PUBLIC_ITEMS = {**{key: THREE_PUBLIC_LABELS[key] for key in THREE_PUBLIC_ITEMS_ORDER},
                      "total": "“三公”经费合计", "vehicle": THREE_PUBLIC_LABELS["vehicle"]}
FUND_COLUMNS = FUND_LABELS


def _table_fields() -> dict[str, tuple[str, str]]:
    fields = {}
    for key, title in TABLE_TITLES.items():
        fields[f"tables.{key}"] = (title, "以功能分类科目代码为键，每行写各栏金额；未写的栏为零（表中显示为空白）")
        fields[f"tables.{key}.*"] = ("一行（科目）", "键为 7 位项级科目代码；类（3 位）、款（5 位）和“合计”行可照报表填写，工具核对")
        fields[f"tables.{key}.*.name"] = ("科目名称", "科目编目中没有的科目用 name 写明名称")
        for column, label in COLUMNS[key].items():
            fields[f"tables.{key}.*.{column}"] = (label, f"{title.split()[0]} {label}栏"
                                                 + ("；" + DERIVED if column in DERIVED_COLUMNS else ""))
    for row, row_label in (("budget", "预算数"), ("actual", "决算数")):
        for item, label in THREE_PUBLIC_ITEMS.items():
            derived = "；" + DERIVED if item in ("total", "vehicle") else ""
            fields[f"tables.three_public.{row}.{item}"] = (label, f"公开09表 {row_label}{derived}")
    for item, label in THREE_PUBLIC_ITEMS.items():
        if item != "vehicle":
            fields[f"narrative.three_public.previous.{item}"] = (f"上年{label}", "上年度决算公开09表 决算数")
    for item in ("abroad", "vehicle_purchase", "vehicle_operation", "reception", "meeting", "training"):
        label = THREE_PUBLIC_ITEMS[item]
        fields[f"narrative.three_public.{item}.reason_budget"] = (f"{label}决算数与预算数不同的主要原因", "")
        fields[f"narrative.three_public.{item}.reason_previous"] = (f"{label}决算数与上年相比增减的主要原因", "")
        fields[f"narrative.three_public.{item}.purpose"] = (f"{label}主要用于", "如“赴新加坡考察社保经办”，印作“主要用于……。”")
        fields[f"narrative.three_public.{item}.text"] = (f"{label}的整段说明（自己写）", OWN_TEXT)
    for key in ("overall", "income", "expenditure", "fiscal", "general_budget", "basic", "gov_fund", "soe_capital",
                "three_public", "operating_costs", "procurement", "assets"):
        fields[f"narrative.{key}.text"] = ("这一节的整段说明（自己写）", OWN_TEXT)
    for part in ("income", "opening"):
        for fund in ("general", "fund", "soe"):
            note = "；" + DERIVED if fund == "fund" else ""
            fields[f"tables.fiscal_summary.{part}.{fund}"] = (FUND_COLUMNS[fund], f"公开04表 {FIELDS['tables.fiscal_summary.' + part][0]}{note}")
    for part in ("expenditure_total", "closing", "expenditure_grand_total", "*"):
        for column, label in FUND_COLUMNS.items():
            fields[f"tables.fiscal_summary.{part}.{column}"] = (label, "公开04表；" + DERIVED)
    return fields


FIELDS.update(_table_fields())


def field_doc(path: tuple) -> tuple[str, str] | None:
    """(title, explanation) of the field at ``path`` (use "*" for free keys), or None if undocumented."""
    return FIELDS.get(".".join(str(part) for part in path))


def unit_note(kind, unit: str | None = None) -> str:
    """How an amount's unit is described: the file's unit if known, else both."""
    if kind != AMOUNT:
        return ""
    if unit is None:
        return "单位：万元（文件写 unit: 元 时为元）"
    return f"单位：{unit}"
