"""Benchmarks: copydesk scored on the evaluation sets beside the reference tools."""
