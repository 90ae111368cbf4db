"""The `juesuan` command line: a thin click layer over plain functions."""
