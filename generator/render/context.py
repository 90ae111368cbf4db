"""What each template receives: one declaration per entry point, variable by variable.

The render functions build their contexts through these declarations (``TemplateContext.context``), which
refuse a variable left out or one not declared, so a template author's reference cannot drift from the code:
docs/reference/template-context.md is generated from here (``generator.commands.reference``), and
tests/test_reference_docs.py renders every entry point once to check names and types against what the
templates really get. Types are written as Python writes them; the reference resolves and lists the classes.

Templates a page includes (``parts/``, ``sections/``) see the context of the page that includes them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    name: str
    type: str  # as Python writes it: "list[Chart]", "PdfLink | None"
    doc: str  # for template authors, in Chinese


@dataclass(frozen=True)
class TemplateContext:
    """One template entry point: the template rendered, what renders it, and every variable it receives."""

    template: str  # under templates/ (a user's template directory may override it)
    title: str
    doc: str
    renderer: str  # the function that renders it
    variables: tuple[Variable, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.variables)

    def context(self, **values) -> dict:
        """The context to render with: exactly the declared variables, or a TypeError naming the difference."""
        names = self.names
        missing = [name for name in names if name not in values]
        undeclared = [name for name in values if name not in names]
        if missing or undeclared:
            raise TypeError(f"context of {self.template} differs from its declaration in generator.render.context: "
                            f"missing {missing}, undeclared {undeclared}")
        return values


def _variables(*rows: tuple[str, str, str]) -> tuple[Variable, ...]:
    return tuple(Variable(*row) for row in rows)


# What the page and the PDF share (``html.department_context``): they come from the same parts.
DISCLOSURE = _variables(
    ("draft", "bool", "是否为草稿（`--draft`，`juesuan serve` 预览时总是草稿）：草稿列出审核发现的问题，PDF 加水印"),
    ("show", "Parts", ("站点配置 site.yaml 中 `show:` 的各项：是否显示 PDF 下载（`pdf`）、开放数据（`open_data`）、"
                       "名词解释（`glossary`）、附件（`attachments`）、全文搜索（`search`）")),
    ("charts", "list[Chart]", ("情况说明中的图（按省份格式和 site.yaml 的 `charts:`），各带图号、文件名和 SVG；"
                               "不画的图带说明原因的一句话")),
    ("evaluation_groups", "list[EvaluationGroup]", ("第五部分的绩效自评表，按“部门整体支出绩效自评表”“项目支出绩效自评表”"
                                                    "分组，每表的行已排好")),
    ("findings", "list[Finding]", "审核发现的问题（规则、级别、位置、说明）；草稿在封面后列出，没有问题时为空列表"),
    ("dept", "Department", "部门文件的内容，照作者所写（金额已换算为万元）：名称、概况、情况说明中的原因、附件等"),
    ("glossary", "tuple[Term, ...]", "名词解释，按印出的顺序：省份格式的默认词条，再加部门文件自己的"),
    ("form", "Form", "表样：决算年度适用的各表版式和标题格式"),
    ("profile", "Profile", "省份格式：情况说明各节的顺序、标题和模板"),
    ("outline", "tuple[Heading, ...]", ("情况说明各节，按省份格式的层次和顺序：每节带序号（`label`，如“四、”“（一）”“1、”）、"
                                       "印出的标题（`text`）、标题级别（`level`：一级 3 即 `<h3>`，下级依次加一）、模板和下级各节"
                                       "（`sections`）；序号已按层次和编号方式算好，模板照印")),
    ("numbers", "dict[str, str]", ("情况说明各节的序号数字本身（不带标点：“四、”为“四”，“（一）”为“一”，“1、”为“1”；"
                                   "不编号的节为空），以节的键为键")),
    ("grids", "list[Grid]", "各表排好的格子（表头、表体、每格的文字和对齐），网页、PDF 和开放数据共用"),
    ("n", "dict[str, dict]", ("情况说明各节的数，以节的键为键（如 `n.income.total`）：金额、占比、增减方向都已算好，"
                             "模板只排版")),
    ("title", "str", "文档标题，按表样的标题格式，如“2023 年度部门决算”"),
    ("cover", "CoverLines", ("封面的两行文字（省份格式的 `cover:`，部门名称和年度已填入）：`cover.department` 部门一行，"
                             "`cover.title` 标题一行，如“2023 年度部门决算”")),
    ("parts", "list[Part]", ("文档的各部分，按省份格式 `parts:` 的顺序，只含要印出的（site.yaml 的 `show:` 关闭的不在内）："
                             "每部分的键（`overview`、`explanation`、`tables`、`glossary`、`attachments`）、"
                             "序号（如“第一部分”）、标题（已填入部门名称和年度）、页内锚点和模板；`parts/disclosure.html` 逐个引用各部分的模板，"
                             "模板中的 `part` 即当前这一部分")),
    ("nothing", "dict[str, str]", ("无内容时印的句子（省份格式的 `wording:`，未写的用内置措辞），部门名称和年度已填入，"
                                "以句子的名称为键，如 `nothing.procurement` 为“本部门 2024 年度无政府采购支出。”；"
                                "模板只在相应的数没有或为零时印出")),
    ("overview", "list[OverviewSection]", ("第一部分概况的各节，按省份格式 `overview:` 的顺序：键、中文序号"
                                           "（一、二、……，不含顿号）、标题和页内锚点")),
)

# What every page of the site shares (``siteindex.site_pages``).
SITE = _variables(
    ("site", "SiteInfo", "站点配置 site.yaml 中 `site:` 的各项：网站标题、地区、页脚、联系方式、正式地址"),
    ("show", "Parts", "站点配置 site.yaml 中 `show:` 的各项（同部门页）"),
    ("years", "list[Year]", "已发布的各年度，新的在前；每年的部门按名称排列"),
    ("root", "str", "从本页到网站根目录的相对路径（如 `../`），页面中的链接都以它开头"),
    ("canonical", "str", "本页的正式地址（规范链接）；未配置网站正式地址时为空"),
    ("draft", "bool", "是否为草稿（`--draft`）：草稿的每一页都有醒目的草稿标记和 `noindex`"),
)

# What every page's <head> and footer say about the page and link (``base.html``, ``parts/site_footer.html``).
PAGE = _variables(
    ("page", "PageMeta", ("本页的说明（`page.description`，写入 `<meta name=\"description\">` 和 Open Graph）、"
                          "类型（`page.kind`：部门页为 `article`，其余为 `website`）、公开日期（`page.published`，"
                          "部门文件的 `published`，未填为空）和生成日期（`page.updated`，部门页内容最近一次生成的日期；"
                          "首页、年度页取其中最新的部门的）")),
    ("links", "SiteLinks", ("网站地图（`links.sitemap`）和订阅源（`links.feed`）相对网站根目录的路径；"
                            "只有配置了网站正式地址的正式生成才有，否则为空字符串")),
)

DEPARTMENT_PAGE = TemplateContext(
    "department.html", "部门页", "一个部门一年的决算公开，整篇一页（`<年度>/<部门标识>/index.html`）。",
    "generator.render.html.render_department",
    DISCLOSURE + _variables(
        ("root", "str", "到网站根目录的相对路径，即 `../../`"),
        ("site", "SiteInfo", "站点配置 site.yaml 中 `site:` 的各项：网站标题、地区、页脚、联系方式、正式地址"),
        ("canonical", "str", "本页的正式地址（规范链接）；未配置网站正式地址时为空"),
        ("crumbs", "list[tuple[str, str]]", "面包屑导航：（文字，链接）各项，最后一项链接为空（当前页）"),
        ("pdf", "PdfLink | None", "本部门 PDF 的链接、下载时的文件名和大小；不生成 PDF（`--no-pdf`）时为空"),
        ("data", "DataLinks | None", "决算表数据文件（CSV、Excel、JSON）的文件名；`show.open_data` 关闭时为空"),
        ("column_widths", "dict[str, list[str]]", "各表的列宽；网页按内容排版，恒为空"),
    ) + PAGE)

PRINT_DOCUMENT = TemplateContext(
    "print.html", "打印稿（PDF）", "交给 WeasyPrint 排成 PDF 的整篇文档，引用与部门页相同的各部分模板。",
    "generator.render.html.render_print",
    DISCLOSURE + _variables(
        ("pdf", "None", "恒为空（与部门页共用的模板据此不显示 PDF 下载）"),
        ("data", "None", "恒为空（与部门页共用的模板据此不显示数据下载）"),
        ("column_widths", "dict[str, list[str]]", ("各表（含绩效自评表）各列的宽度，以表的标识为键；值是百分数的数字，"
                                                   "`%` 由模板写，按打印版面算好")),
        ("geometry", "Geometry", ("表格单元格的几何数值（内边距、款/项缩进、绩效自评表首列最小宽度），print.css 用它们排版，"
                                  "列宽也按它们计算；自定义打印样式时沿用这些变量，列宽才与版面一致")),
        ("fonts", "PrintFonts", "正文和标题的字体（site.yaml 的 `pdf:`），已写成 CSS 的 font-family"),
        ("built_at", "datetime", "生成时间（北京时间；设置 SOURCE_DATE_EPOCH 时取其值，同样的输入得到同样的 PDF）"),
        ("built_label", "str", "生成时间的文字，如 `2024-05-30 14:00`，草稿页脚使用"),
        ("watermark_uri", "str", "草稿水印图（data: 地址）；正式 PDF 为空"),
    ))

WATERMARK = TemplateContext(
    "assets/watermark.svg", "草稿水印", "草稿 PDF 每页的水印图，嵌入打印稿。", "generator.render.html.render_print",
    _variables(
        ("fonts", "PrintFonts", "正文和标题的字体（同打印稿）"),
        ("text", "str", "水印文字，即“仅供内部审核”"),
    ))

SITE_INDEX = TemplateContext(
    "index.html", "首页", "网站首页：按年度列出全部已发布的部门。", "generator.render.siteindex.site_pages",
    SITE + PAGE)

YEAR_PAGE = TemplateContext(
    "year.html", "年度页", "一个年度的全部部门（`<年度>/index.html`）。", "generator.render.siteindex.site_pages",
    SITE + PAGE + _variables(("current", "Year", "本页的年度及其部门")))

NOT_FOUND = TemplateContext(
    "404.html", "找不到页面", "网站服务器找不到页面时显示（`404.html`），可能出现在任何深度的地址下，"
                         "所以样式写在页内，`canonical` 恒为空。",
    "generator.render.siteindex.site_pages",
    SITE + PAGE + _variables(("stylesheet", "Markup", "网页样式表 assets/juesuan.css 的全文，原样写进页内的 `<style>`")))

SITEMAP_XML = TemplateContext(
    "sitemap.xml", "网站地图", "全部页面和 PDF 的地址；超过 50,000 个时分为 sitemap-1.xml、sitemap-2.xml……",
    "generator.render.siteindex.sitemap_files",
    _variables(("urls", "list[SitemapUrl]", ("各地址（`loc`，绝对地址）及其内容最近一次生成的日期（`lastmod`）；"
                                            "只在配置了网站正式地址的正式生成中写出"))))

SITEMAP_INDEX_XML = TemplateContext(
    "sitemap-index.xml", "网站地图索引", "地址超过 50,000 个时的 sitemap.xml，列出各分文件。",
    "generator.render.siteindex.sitemap_files",
    _variables(("sitemaps", "list[SitemapUrl]", "各分文件 sitemap-1.xml、sitemap-2.xml……的地址及其中最新的日期")))

PREVIEW_PROBLEMS = TemplateContext(
    "preview_problems.html", "预览：无法显示的文件", "`juesuan serve` 预览时，部门文件无法读取，在该部门页的位置显示"
                                               "其中的问题。只用内置模板，以免有错误的自定义模板把自己的错误也遮住。",
    "generator.pipeline.serve.Preview",
    _variables(
        ("problems", "list[Problem]", "问题，各带文件、行号和说明（`p.format()` 为一整行文字）"),
        ("site", "SiteInfo", "站点配置 site.yaml 中 `site:` 的各项"),
        ("show", "Parts", "站点配置 site.yaml 中 `show:` 的各项（同部门页）"),
        ("root", "str", "到网站根目录的路径，即 `/`"),
        ("canonical", "str", "恒为空"),
        ("draft", "bool", "恒为真（预览的都是草稿）"),
    ) + PAGE)

PREVIEW_BANNER = TemplateContext(
    "parts/preview_banner.html", "预览：问题横幅", "`juesuan serve` 预览时，有问题就插在每一页的 `<body>` 之后（自定义模板的页面也一样）。"
                                          "只用内置模板。",
    "generator.pipeline.serve.Preview",
    _variables(("problems", "list[Problem]", "全部问题：站点配置的、各部门文件的")))

ENTRY_POINTS = (DEPARTMENT_PAGE, PRINT_DOCUMENT, WATERMARK, SITE_INDEX, YEAR_PAGE, NOT_FOUND, SITEMAP_XML,
                SITEMAP_INDEX_XML, PREVIEW_PROBLEMS, PREVIEW_BANNER)

# The filters ``html.environment`` adds to Jinja's own, for every template.
FILTERS = {
    "money": "表中的金额：千分位、两位小数，零或空显示为空白，如 `7,987.94`",
    "amount": "正文中的金额：两位小数，不加千分位，如 `9192.86`；省份格式设 `phrases: {amount_style: 千分位}` 时加千分位，如 `9,192.86`",
    "amount_plain": "分值、得分、人数照写：不补零、不加千分位，如 `94`、`91.27`",
    "pct": "百分比的数字：两位小数，如 `87.78`（百分号由模板写）；分母为零的百分比没有值（`none`），不能印，模板须先判断 `is not none`，否则生成时报告模板出错",
    "cn": "中文数字，如 14 → 十四（节号、部分号）",
    "md": "作者写的 Markdown → HTML；原始 HTML 一律按文字显示，宽表可左右滑动",
    "paragraphs": "多行文字 → 每行一段（绩效自评表单元格中的文字）",
    "as_entered": "数照所填写出（Decimal 原样，不四舍五入、不补零）",
    "asset": ("模板目录 `assets/` 中的文件在网站上的路径，文件名带内容的摘要，如 `\"juesuan.css\"|asset` 为 "
              "`assets/juesuan.1a2b3c4d.css`（文件一改名字就变，服务器可长期缓存）；前面加 `root`。"
              "`assets/` 中新增的文件同样可用，不存在的文件在生成时报错"),
}
