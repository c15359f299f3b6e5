"""Bulk quote harvesting: readers for article files, crash-safe writers, and the parallel runner.

Shared by the `quotewire extract` CLI (service.cli) and the Spark job (service.spark), so both
doors read the same records the same way and write the same rows.
"""
