"""`-o` and other single-file outputs (``pdf -o``, ``export -o``, ``schema --out``, ``new``) write regular files: a
symbolic link is written through (the link stays), a folder, named pipe, device or socket is refused before
anything is written."""

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.commands.cli import main
from generator.errors import ContentError
from generator.pipeline.staging import write_file


def test_a_symbolic_link_is_written_through_and_stays_a_link(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.pdf").write_bytes(b"old")
    link = tmp_path / "a.pdf"
    link.symlink_to(Path("real") / "a.pdf")
    write_file(link, b"new")
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "a.pdf")
    assert (tmp_path / "real" / "a.pdf").read_bytes() == b"new"
    dangling = tmp_path / "b.pdf"
    dangling.symlink_to(Path("real") / "b.pdf")
    write_file(dangling, b"made")
    assert dangling.is_symlink() and (tmp_path / "real" / "b.pdf").read_bytes() == b"made"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf", "real"]
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["a.pdf", "b.pdf"]


def refused(target: Path, kind: str) -> None:
    with pytest.raises(ContentError) as caught:
        write_file(target, b"data")
    [problem] = caught.value.problems
    assert problem.format() == (f"{target}: 输出路径不是普通文件，而是{kind}；为免破坏它，未写入"
                                f"（应为普通文件或尚不存在的文件的路径，实际为 {kind}）")


def test_a_named_pipe_is_refused_and_stays(tmp_path):
    fifo = tmp_path / "x.pdf"
    os.mkfifo(fifo)
    refused(fifo, "命名管道")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and os.listdir(tmp_path) == ["x.pdf"]
    link = tmp_path / "link.pdf"
    link.symlink_to(fifo)  # and through a link
    refused(link, "命名管道")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and link.is_symlink()


def test_a_folder_is_refused_and_stays(tmp_path):
    folder = tmp_path / "out.xlsx"
    (folder / "inside").mkdir(parents=True)
    refused(folder, "目录")
    assert (folder / "inside").is_dir() and os.listdir(folder) == ["inside"]


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_node_is_refused_and_stays(tmp_path):
    device = tmp_path / "full"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # as /dev/full
    except PermissionError:
        pytest.skip("this container may not make device nodes")
    refused(device, "字符设备")
    assert stat.S_ISCHR(os.lstat(device).st_mode) and os.listdir(tmp_path) == ["full"]


def test_dev_null_is_refused_before_anything_is_written():
    before = set(os.listdir("/dev"))
    refused(Path("/dev/null"), "字符设备")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode) and set(os.listdir("/dev")) == before


def test_the_command_says_so_in_chinese(tmp_path):
    fifo = tmp_path / "department.schema.json"
    os.mkfifo(fifo)
    result = CliRunner().invoke(main, ["schema", "--out", str(fifo)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{fifo}: 输出路径不是普通文件，而是命名管道" in result.output and "未写出 JSON Schema" in result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
