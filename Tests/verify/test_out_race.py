"""`--out` under contention: racing writers and writers killed with SIGKILL at varying points.
Every writer that is not killed exits 0, the tree is always whole (old or new, never missing or
mixed), and git never sees a stage folder."""

import os
import signal
import subprocess
import time

import pytest

from conftest import COMPILE, ROOT

SPECS = [str(ROOT / "specs" / "dev.yaml"), str(ROOT / "specs" / "staging.yaml")]
DELAYS = [0, 0.001, 0.003, 0.006, 0.01, 0.02, 0.04, 0.08]


def tree(folder):
    """{relative path: (bytes, executable)} below folder, links and all, never followed."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            path = os.path.join(dirpath, name)
            assert not os.path.islink(path), path
            found[os.path.relpath(path, folder)] = (open(path, "rb").read(), os.access(path, os.X_OK))
    return found


def rendered(out):
    return {name: tree(out / name) for name in ("dev", "staging")}


def git_status(repo):
    result = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=repo, capture_output=True, text=True, check=True
    )
    return sorted(result.stdout.splitlines())


def writer(out, specs=SPECS):
    return subprocess.Popen([str(COMPILE), *specs, "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture
def repo(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    return repo


@pytest.fixture(scope="module")
def expected(tmp_path_factory):
    out = tmp_path_factory.mktemp("expected")
    subprocess.run([str(COMPILE), *SPECS, "--out", str(out)], check=True, capture_output=True)
    return rendered(out)


def own_files(expected):
    return sorted(f"?? rendered/{name}/{path}" for name, files in expected.items() for path in files)


@pytest.mark.parametrize("delay", DELAYS)
def test_eight_racing_writers_and_one_killed(repo, expected, delay):
    out = repo / "rendered"
    writers = [writer(out) for _ in range(8)]
    victim = writer(out)
    time.sleep(delay)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    for process in writers:
        _, err = process.communicate()
        assert process.returncode == 0, err.decode()
    assert rendered(out) == expected
    assert git_status(repo) == own_files(expected)


@pytest.mark.parametrize("delay", DELAYS)
def test_a_killed_writer_leaves_the_old_tree_whole(repo, tmp_path, expected, delay):
    out = repo / "rendered"
    old_spec = tmp_path / "dev.yaml"
    old_spec.write_text((ROOT / "specs" / "dev.yaml").read_text().replace("replicas: 1", "replicas: 3"))
    subprocess.run([str(COMPILE), str(old_spec), SPECS[1], "--out", str(out)], check=True, capture_output=True)
    old = rendered(out)
    assert old != expected
    victim = writer(out)
    time.sleep(delay)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    assert rendered(out) in (old, expected)
    assert git_status(repo) == own_files(expected)
    # The next run removes the abandoned stage and writes the new tree.
    subprocess.run([str(COMPILE), *SPECS, "--out", str(out)], check=True, capture_output=True)
    assert sorted(os.listdir(out)) == ["dev", "staging"]
    assert rendered(out) == expected


def test_a_stopped_writer_is_not_robbed_of_its_stage(repo, expected):
    """A writer stopped mid-run keeps its stage locked: a later run leaves it alone, and the
    stopped writer finishes cleanly when it resumes."""
    out = repo / "rendered"
    subprocess.run([str(COMPILE), *SPECS, "--out", str(out)], check=True, capture_output=True)
    for delay in (0.005, 0.02):
        stopped = writer(out)
        time.sleep(delay)
        stopped.send_signal(signal.SIGSTOP)
        other = subprocess.run([str(COMPILE), *SPECS, "--out", str(out)], capture_output=True, text=True)
        assert other.returncode == 0, other.stderr
        stopped.send_signal(signal.SIGCONT)
        _, err = stopped.communicate()
        assert stopped.returncode == 0, err.decode()
        assert rendered(out) == expected
        assert sorted(os.listdir(out)) == ["dev", "staging"]
