"""Checks that TensorBoard itself reads the event files Shoal writes (a manual check, not a test).

    SHOAL_TENSORBOARD_DIR=$PWD/.build/tensorboard-check swift test --filter TensorBoardTests
    .venv/bin/python Tests/TrainingTests/Fixtures/check_tensorboard_reads.py .build/tensorboard-check

prints, for every event file in the folder, each scalar tag with its number of points and its
first and last (step, value), as TensorBoard's EventAccumulator loads them; exits 1 if no file
has scalars. Then it lists the runs TensorBoard's EventMultiplexer finds under the folder (a
preset's `<arm>/seed-<s>` directories each become a run, overlaid in the dashboard).
"""
import glob
import os
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.backend.event_processing.plugin_event_multiplexer import EventMultiplexer

folder = sys.argv[1]
files = sorted(glob.glob(os.path.join(folder, "**", "events.out.tfevents.*"), recursive=True))
if not files:
    sys.exit(f"no event files in {folder}")
found = 0
for path in files:
    accumulator = EventAccumulator(path)
    accumulator.Reload()
    tags = accumulator.Tags()["scalars"]
    print(os.path.relpath(path, folder), "scalars:", len(tags))
    found += len(tags)
    for tag in tags:
        points = accumulator.Scalars(tag)
        first, last = points[0], points[-1]
        print(f"  {tag}: {len(points)} points, first ({first.step}, {first.value}), last ({last.step}, {last.value})")
if not found:
    sys.exit(f"TensorBoard found no scalars in {folder}")
multiplexer = EventMultiplexer()
multiplexer.AddRunsFromDirectory(folder)
multiplexer.Reload()
print("runs:", ", ".join(sorted(multiplexer.Runs())))
