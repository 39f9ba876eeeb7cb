"""项目支出绩效自评报告 pipeline: YAML source → validated model → computed figures → Word report."""
