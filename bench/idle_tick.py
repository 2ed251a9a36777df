"""What an idle tick costs as workflows multiply: API calls do not grow per workflow on
the Salesforce side (one query per object) and grow by one version check per sheet.

    python -m bench.idle_tick --workflows 10 50 200
"""

from __future__ import annotations

import argparse
import time

from bench.common import Bench


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workflows", type=int, nargs="+", default=[10, 50, 200])
    args = parser.parse_args()
    print("workflows  objects  SF calls  Smartsheet calls  seconds")
    for count in args.workflows:
        bench = Bench()
        try:
            for i in range(count):
                bench.workflow(
                    "Opportunity" if i % 2 else "Account",
                    [("Name", "Name")],
                    f"none-{i}-",
                    name=f"wf {i}",
                )
            bench.engine.tick()  # set-up: describes, columns, backfills
            bench.engine.tick()
            bench.reset_counters()
            started = time.perf_counter()
            bench.engine.tick()
            seconds = time.perf_counter() - started
            calls = bench.calls()
            print(
                f"{count:9d}  {2:7d}  {calls['salesforce']:8d}  {calls['smartsheet']:16d}  "
                f"{seconds:7.2f}"
            )
        finally:
            bench.close()


if __name__ == "__main__":
    main()
