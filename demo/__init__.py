"""The demo: a plausible 娄底市 federation written as a workbook (`demo.build`)
and loaded through the ordinary importer by `manage.py demo`."""
