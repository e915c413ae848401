"""Writes events.out.tfevents.1700000000.fixture, the event file TensorBoardTests compares
Shoal's writer against byte for byte.

TensorBoard's own EventFileWriter writes it (its version event, TFRecord framing and masked
CRC-32C); the clock is fixed so the version event's wall time is known, and each scalar event
carries an explicit wall time. The scalars, steps and wall times below are repeated in
Tests/TrainingTests/TensorBoardTests.swift. Run once:

    python3 -m venv .venv && .venv/bin/pip install tensorboard
    .venv/bin/python make_tensorboard_fixture.py
"""
import glob
import os
import shutil
import tempfile
import time

from tensorboard.compat.proto import event_pb2, summary_pb2
from tensorboard.summary.writer.event_file_writer import EventFileWriter

START = 1700000000.25
# (wall time, step, [(tag, value), ...]); one event per entry, one Summary value per pair.
EVENTS = [
    (1700000001.5, 0, [("train/episode_return", -500.0)]),
    (1700000002.75, 1000, [("train/episode_return", -312.5), ("comm/messages", 50.0)]),
    (1700000003.0, 2000, [("train/episode_return", -87.125)]),
    (1700000004.125, 3000, [("params/relative_deviation", 0.1)]),
    (1700000005.0, 123456789012, [("perf/env_steps_per_second", 2.5e7), ("train/episode_return", 0.0)]),
]

real_time = time.time
time.time = lambda: START
folder = tempfile.mkdtemp()
writer = EventFileWriter(folder)
time.time = real_time
for wall_time, step, scalars in EVENTS:
    values = [summary_pb2.Summary.Value(tag=tag, simple_value=value) for tag, value in scalars]
    writer.add_event(event_pb2.Event(wall_time=wall_time, step=step, summary=summary_pb2.Summary(value=values)))
writer.close()
(path,) = glob.glob(os.path.join(folder, "events.out.tfevents.*"))
shutil.copyfile(path, os.path.join(os.path.dirname(os.path.abspath(__file__)), "events.out.tfevents.1700000000.fixture"))
shutil.rmtree(folder)
