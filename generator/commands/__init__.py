"""The `juesuan` command line: a thin click layer over plain functions.

click's own texts are Chinese (see ``chinese``), installed here, before any command module builds its options."""

from generator.commands.chinese import install

install()
