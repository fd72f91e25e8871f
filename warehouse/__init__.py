"""Everything that touches DuckDB: migrations, writes, reads and the public views.

No SQL lives outside this package, and nothing here imports Prefect.
"""

from warehouse.connection import Warehouse, WarehouseBusy, WarehouseError, WarehouseMissing

__all__ = ["Warehouse", "WarehouseBusy", "WarehouseError", "WarehouseMissing"]
