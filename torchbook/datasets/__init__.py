"""Real, public-domain time series that ship with the book (see README.md beside this file).

- :func:`mauna_loa_co2`: weekly atmospheric CO2 at Mauna Loa, 1958-2001 (trend + seasons).
- :func:`sunspots`: the yearly sunspot number, 1700-2008 (a cycle of about 11 years).
- :func:`first_names`: the 5,163 distinct first names of the 1990 US census, for
  character-level language models.

The files are read from the package's own folder: nothing is downloaded.
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import numpy as np
import torch

__all__ = ["DATA_DIR", "first_names", "mauna_loa_co2", "sunspots"]

#: The folder that holds the vendored files.
DATA_DIR = Path(__file__).resolve().parent


def _rows(name: str) -> list[list[str]]:
    with open(DATA_DIR / name, newline="") as f:
        return list(csv.reader(f))[1:]


def _decimal_year(day: datetime.date) -> float:
    start = datetime.date(day.year, 1, 1)
    length = (datetime.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def mauna_loa_co2(*, fill_missing: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """Weekly mean CO2 at Mauna Loa, 29 March 1958 to 29 December 2001 (2,284 weeks).

    Returns ``(time, ppm)``: ``time`` in decimal years (float64, one value a week) and the
    CO2 concentration in parts per million (float32). 59 weeks have no measurement; with
    ``fill_missing=True`` (the default) they are filled by linear interpolation between the
    neighbouring weeks, otherwise they are NaN.
    """
    rows = _rows("mauna_loa_co2_weekly.csv")
    days = [datetime.datetime.strptime(date, "%Y%m%d").date() for date, _ in rows]
    time = torch.tensor([_decimal_year(day) for day in days], dtype=torch.float64)
    ppm = torch.tensor([float(v) if v else float("nan") for _, v in rows], dtype=torch.float64)
    if fill_missing:
        known = ~torch.isnan(ppm)
        index = torch.arange(len(ppm), dtype=torch.float64)
        ppm = torch.from_numpy(np.interp(index.numpy(), index[known].numpy(), ppm[known].numpy()))
    return time, ppm.float()


def sunspots() -> tuple[torch.Tensor, torch.Tensor]:
    """The yearly mean sunspot number, 1700-2008 (309 years).

    Returns ``(years, activity)``: ``years`` as int64 and the sunspot number as float32 (it
    is 0 in some years, so a relative error such as MAPE is undefined there).
    """
    rows = _rows("sunspots_yearly.csv")
    years = torch.tensor([int(year) for year, _ in rows], dtype=torch.int64)
    activity = torch.tensor([float(value) for _, value in rows], dtype=torch.float32)
    return years, activity


def first_names() -> list[str]:
    """The 5,163 distinct first names of the 1990 US census, lower case, sorted.

    The census lists 4,275 female and 1,219 male names (331 are in both lists); they are
    2 to 11 letters long, a-z only.
    """
    names: set[str] = set()
    for sex in ("female", "male"):
        text = (DATA_DIR / f"census1990_{sex}_first.txt").read_text()
        names.update(line.split()[0].lower() for line in text.splitlines() if line.strip())
    return sorted(names)
