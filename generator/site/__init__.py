"""A year at a glance: static HTML pages (an overview of every fund, one page per fund).

The pages are renderings of what the reports already contain: the figures come from the
pipeline (generator.pipeline.evaluate) and the year's rows and 合计 from generator.summary, the
自评表 from the same Grid as the Word table, the narrative from the same Markdown. They open from
disk with no server and no network: charts are SVG drawn at build time, styles are inline, and
the only script (sorting the table) is inline too and allowed by its hash alone.
"""
