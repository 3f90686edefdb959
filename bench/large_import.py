"""A measured large import: generate a Disqus export of about --mb megabytes, import it into a
fresh SQLite database with `belowline import disqus`, print wall time, CPU and peak RSS.

Usage: python bench/large_import.py [--mb 1024] [--workdir DIR] [--keep]
The import runs in its own process, so its peak RSS (ru_maxrss of the child) is the importer's
alone, not the generator's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.disqus_export import write

# Measured on the generator's output: ~715 bytes per comment (threads included).
BYTES_PER_COMMENT = 715


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("belowline")
    return subprocess.run(
        [str(exe), *args], env=env, check=True, capture_output=True, text=True, timeout=None
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=1024.0, help="Export size to generate.")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="Keep the export and database.")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="belowline-large-"))
    work.mkdir(parents=True, exist_ok=True)
    export = work / "disqus.xml"
    comments = int(args.mb * 1e6 / BYTES_PER_COMMENT)
    started = time.perf_counter()
    write(export, comments=comments)
    size = export.stat().st_size
    print(
        f"generated {size / 1e6:.1f} MB, {comments:,} comments "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    env = {**os.environ, "BELOWLINE_DATA_DIR": str(work / "data")}
    env.pop("BELOWLINE_DATABASE_URL", None)
    _cli("db", "upgrade", env=env)
    _cli("sites", "create", "--name", "Bench", "--origin", "https://bench.example", "--id", "bench",
         env=env)  # fmt: skip
    started = time.perf_counter()
    exe = Path(sys.executable).with_name("belowline")
    out = work / "summary.json"
    with out.open("w") as sink:
        child = subprocess.Popen(
            [str(exe), "import", "disqus", str(export), "--site", "bench", "--json"],
            env=env,
            stdout=sink,
        )
        _pid, status, usage = os.wait4(child.pid, 0)  # this child's own rusage
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import failed: {out.read_text()[:2000]}")
    print(out.read_text().strip().splitlines()[-1][:400])
    cpu = usage.ru_utime + usage.ru_stime
    db = work / "data" / "belowline.db"
    print(
        f"RESULT import_mb={size / 1e6:.1f} comments={comments} wall_s={wall:.1f} "
        f"cpu_s={cpu:.1f} comments_per_s={comments / wall:.0f} "
        f"peak_rss_mb={usage.ru_maxrss / 1024:.1f} db_mb={db.stat().st_size / 1e6:.1f} "
        f"load_avg={os.getloadavg()[0]:.1f}",
        flush=True,
    )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
