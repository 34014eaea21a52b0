"""Excel in and out, as officials keep their tables: reading any .xlsx/.xls/.ods with python-calamine (row numbers as
Excel shows them) and writing .xlsx with openpyxl (text cells for ID numbers and codes, frozen header, widths that
fit Chinese). Modules describe their layout as a list of Columns and share this."""
