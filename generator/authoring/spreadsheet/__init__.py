"""`juesuan import` and `juesuan export`: the tables from and to an Excel workbook."""
