"""A third-party calculator package used to test entry-point discovery."""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
import pandas as pd

from impactkit.measure import MeasureResult


@attrs.frozen
class AboveMedian:
    """Units whose column is above the median of a reference column (a plugin calculator)."""

    name: ClassVar[str] = "above_median"
    column: str
    data: str | None = None

    def compute(self, df: pd.DataFrame) -> MeasureResult:
        s = df[self.column]
        ok = s.notna()
        k = float((s[ok] > s[ok].median()).sum())
        return MeasureResult(
            quantity=k,
            n=int(ok.sum()),
            missing=int((~ok).sum()),
            calculator=self.to_dict(),
            data=self.data,
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"calculator": self.name, "column": self.column}
        if self.data is not None:
            out["data"] = self.data
        return out
