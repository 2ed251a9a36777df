"""Backfill throughput: N Opportunities into an empty sheet, then an idle tick.

    python -m bench.backfill --records 20000

Prints API calls per service, seconds, rows/s and the peak Python memory of the tick.
"""

from __future__ import annotations

import argparse
import resource
import time
from datetime import UTC, datetime, timedelta

from bench.common import Bench


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=20_000)
    args = parser.parse_args()
    bench = Bench()
    sf = bench.box.salesforce
    real_clock = sf.clock
    sf.clock = lambda: datetime.now(UTC) - timedelta(hours=1)  # records from an hour ago
    try:
        for i in range(args.records):
            bench.box.salesforce.insert(
                "Opportunity",
                {
                    "Name": f"BF {i:06d}",
                    "StageName": "Prospecting",
                    "CloseDate": "2027-03-01",
                    "Amount": i,
                },
            )
        bench.workflow(
            "Opportunity",
            [
                ("Name", "Deal"),
                ("Amount", "Amount"),
                ("StageName", "Stage"),
                ("CloseDate", "Close"),
            ],
            "BF ",
        )
        sf.clock = real_clock
        bench.reset_counters()
        started = time.perf_counter()
        report = bench.engine.tick()
        seconds = time.perf_counter() - started
        assert not report.failures, report.failures
        calls = bench.calls()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"backfill of {args.records} records: {seconds:.1f} s, "
            f"{args.records / seconds:,.0f} rows/s, peak RSS {peak:.0f} MiB "
            "(process total, the in-process sandbox included)"
        )
        print(f"  API calls: Salesforce {calls['salesforce']}, Smartsheet {calls['smartsheet']}")
        bench.reset_counters()
        started = time.perf_counter()
        bench.engine.tick()
        calls = bench.calls()
        print(
            f"next tick (one echo read of the sheet): {time.perf_counter() - started:.1f} s, "
            f"API calls: Salesforce {calls['salesforce']}, Smartsheet {calls['smartsheet']}"
        )
        bench.reset_counters()
        started = time.perf_counter()
        bench.engine.tick()
        calls = bench.calls()
        print(
            f"idle tick: {time.perf_counter() - started:.2f} s, "
            f"API calls: Salesforce {calls['salesforce']}, Smartsheet {calls['smartsheet']}"
        )
    finally:
        bench.close()


if __name__ == "__main__":
    main()
