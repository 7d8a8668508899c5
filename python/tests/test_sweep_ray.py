"""Sweeps: one process against a Ray cluster of a head and two worker nodes on loopback
(separate `ray start` processes), identical results, and a worker node killed mid-sweep.

Needs `ray` in the test virtualenv (.ci/run installs it); with CI set a missing ray fails.
"""
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import veerkracht as vk

ray = pytest.importorskip("ray") if not os.environ.get("CI") else __import__("ray")

SCENARIO = "spreiding"
LEVERS = {
    "toewijzing.vrije_ruimte_gebruik": [0.0, 0.5, 1.0],
    "toewijzing.loting": [0.0, 0.1, 0.2],
    "spreiding.max_aandeel": [0.1, 0.15, 0.2, 0.25, 0.3, 0.4],
}
RUNS = 20
TIMES = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ray_bin() -> str:
    return str(Path(sys.executable).parent / "ray")


class Cluster:
    """A Ray head and worker nodes, each its own `ray start` (own raylet) on 127.0.0.1, in
    their own temp dirs so the test can kill one node's processes."""

    def __init__(self, workers: int):
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0")
        self.nodes = []
        self.killed = None
        self.start("head", ["--head", f"--port={self.port}", "--num-cpus=0", "--include-dashboard=false"])
        for i in range(workers):
            self.start(f"w{i}", [f"--address={self.address}", "--num-cpus=1"])
        deadline = time.time() + 120
        ray.init(address=self.address, log_to_driver=False)
        while sum(n["Alive"] for n in ray.nodes()) < workers + 1:
            assert time.time() < deadline, "worker nodes did not join"
            time.sleep(0.5)

    def start(self, name, args):
        subprocess.run(
            [ray_bin(), "start", "--node-ip-address=127.0.0.1", "--disable-usage-stats", *args],
            check=True,
            env=self.env,
            capture_output=True,
        )
        self.nodes.append(name)

    def kill_a_worker_node(self):
        """SIGKILL the raylet of one worker node (its worker processes die with it): the
        node is lost as when a machine goes away; the head and this driver stay."""
        nodes = [n for n in ray.nodes() if n["Alive"] and n["Resources"].get("CPU", 0) > 0]
        victim = nodes[-1]["NodeID"]
        killed = 0
        for proc in Path("/proc").iterdir():
            try:
                args = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if args and args[0].endswith(b"/raylet") and f"--node_id={victim}".encode() in args:
                os.kill(int(proc.name), 9)
                killed += 1
        assert killed == 1, f"no raylet found for node {victim}"
        self.killed = victim

    def stop(self):
        ray.shutdown()
        subprocess.run([ray_bin(), "stop", "--force"], env=self.env, capture_output=True)


@pytest.fixture(scope="module")
def variants():
    v = vk.sweep.grid(LEVERS)
    assert len(v) >= 50
    return v


@pytest.fixture(scope="module")
def single(variants):
    t = time.time()
    df = vk.sweep.run(SCENARIO, variants, runs=RUNS, seed=11)
    TIMES["one process"] = time.time() - t
    return df


def test_the_sweep_varies_the_outcome(single, variants):
    last = single[(single.indicator == "hoogste_buurtaandeel_kwetsbaar") & (single.jaar == single.jaar.max())]
    means = last.groupby("variant")["waarde"].mean()
    assert len(means) == len(variants)
    assert means.max() - means.min() > 0.01, "the levers should move the highest buurt share"


def test_ray_cluster_equals_one_process_and_survives_a_killed_worker(single, variants, tmp_path):
    cluster = Cluster(workers=2)
    try:
        t = time.time()
        on_ray = vk.sweep.run(SCENARIO, variants, runs=RUNS, seed=11, shard_runs=7, address=cluster.address)
        ray_seconds = time.time() - t
        pd.testing.assert_frame_equal(on_ray, single)
        vk.sweep.write_parquet(single, variants, tmp_path / "a")
        vk.sweep.write_parquet(on_ray, variants, tmp_path / "b")
        files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.parquet"))
        files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.parquet"))
        assert files_a == files_b and len(files_a) == len(variants)
        for f in files_a:
            assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
        back = pd.read_parquet(tmp_path / "a")
        assert len(back) == len(single)

        # the index's Monte Carlo runs, sharded the same way, give the bands of one batch
        whole = vk.index.compute(vk.workspace.open(), edition=2024, runs=60, seed=3).dropna(subset=["rang_mediaan"])
        sharded = vk.sweep.index_bands(None, runs=60, seed=3, shard_runs=9, edition=2024, address=cluster.address)
        m = whole.merge(sharded, on="code", suffixes=("", "_ray"))
        assert len(m) == len(whole) > 100
        for c in ("rang_p5", "rang_mediaan", "rang_p95"):
            assert (m[c].astype(float) - m[c + "_ray"].astype(float)).abs().max() < 1e-9, c

        # a worker node dies while its tasks run: they are retried on the other node
        killer = threading.Timer(4.0, cluster.kill_a_worker_node)
        killer.start()
        t = time.time()
        survived = vk.sweep.run(SCENARIO, variants, runs=RUNS, seed=11, shard_runs=5, address=cluster.address)
        killed_seconds = time.time() - t
        killer.join()
        assert cluster.killed, "the worker node was not killed during the sweep"
        deadline = time.time() + 60
        while sum(n["Alive"] for n in ray.nodes()) != 2:
            assert time.time() < deadline, "the killed node is still alive"
            time.sleep(0.5)
        pd.testing.assert_frame_equal(survived, single)
        print(
            f"\nsweep {len(variants)} variants x {RUNS} runs: one process {TIMES['one process']:.1f} s, "
            f"Ray 2 worker nodes {ray_seconds:.1f} s, with one node killed {killed_seconds:.1f} s"
        )
    finally:
        cluster.stop()
