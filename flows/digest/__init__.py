"""The daily digest: view model, text safety, rendering, chart, files and Atom feed, delivery.

    from flows.digest import run_digest
    result = run_digest(db_path=db, config=load_config(path), day=date(2024, 11, 5))

Importing it loads neither Prefect nor matplotlib (the chart imports it when it draws).
"""

from flows.digest.daily import (
    DigestDeliveryFailed,
    DigestError,
    DigestResult,
    demo_digest,
    describe,
    run_digest,
)

__all__ = [
    "DigestDeliveryFailed",
    "DigestError",
    "DigestResult",
    "demo_digest",
    "describe",
    "run_digest",
]
