"""The plain ``run_*`` functions of each pipeline: ingest, extract, backfill, eval, demo.

None imports Prefect; ``flows.definitions`` wraps them as flows.
"""
