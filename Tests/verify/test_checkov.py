"""checkov's Kubernetes checks over every rendered spec: the objects Keyway fully owns fail none,
except the checks waived, with their reason, in docs/security.md's waiver table (read from there,
so the document and the test cannot drift apart). Deployments are partly the user's (image,
command, patch): their findings are printed, not asserted."""

import json
import re
import subprocess
from collections import defaultdict

import pytest
import yaml

from conftest import ROOT, SPECS, compile_to

SECURITY_DOC = ROOT / "docs" / "security.md"
# Every kind Keyway writes whole; an app's workload (any kind, "app workload" below) is the user's in part.
FULLY_OWNED = {
    "CronJob", "ConfigMap", "ServiceAccount", "ClusterRoleBinding", "ClusterSecretStore", "SecretStore", "ExternalSecret", "PrometheusRule",
}
WAIVER_ROW = re.compile(r"^\|\s*`(CKV2?_K8S_\d+)`\s*\|\s*(\w+)\s*\|")


def waivers():
    """{(check id, kind)} from the rows of the table under '## Waived checkov checks'."""
    text = SECURITY_DOC.read_text()
    section = text.split("## Waived checkov checks", 1)[1].split("\n## ", 1)[0]
    found = {(m.group(1), m.group(2)) for line in section.splitlines() if (m := WAIVER_ROW.match(line))}
    assert found, "docs/security.md: the waiver table has no rows"
    return found


@pytest.fixture(scope="session")
def checkov_findings(rendered):
    """{rendered file: {'kind': kind, 'failed': {check ids}, 'checked': bool}} from one checkov run."""
    out = next(iter(rendered.values()))[0].parent
    result = subprocess.run(
        ["checkov", "-d", str(out), "--framework", "kubernetes", "-o", "json", "--skip-download", "--compact"],
        capture_output=True,
        text=True,
    )
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["parsing_errors"] == 0, result.stdout
    findings = {}
    for path in out.rglob("manifests/**/*.yaml"):
        obj = yaml.safe_load(path.read_text())
        # An app's workload (of any kind, a CronJob too) carries the `app` label and is partly the user's.
        kind = "app workload" if "app" in obj["metadata"].get("labels", {}) and obj["kind"] != "ExternalSecret" else obj["kind"]
        findings[path] = {"kind": kind, "failed": set(), "checked": False}
    for outcome in ("passed_checks", "failed_checks"):
        for check in report["results"][outcome]:
            path = out / check["file_path"].lstrip("/")
            if path.parent.parent.name == "patches":
                continue  # a patch for a workload owned elsewhere: a fragment, not an object
            entry = findings[path]
            entry["checked"] = True
            if outcome == "failed_checks":
                entry["failed"].add(check["check_id"])
    return findings


def spec_findings(findings, rendered, spec):
    folder = rendered[spec][0]
    return {path: entry for path, entry in findings.items() if folder in path.parents}


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_fully_owned_objects_pass_checkov_or_are_waived(rendered, checkov_findings, spec):
    waived = waivers()
    unwaived = []
    for path, entry in sorted(spec_findings(checkov_findings, rendered, spec).items()):
        if entry["kind"] == "CronJob":
            assert entry["checked"], f"checkov did not check {path}"
        failed = sorted(check for check in entry["failed"] if (check, entry["kind"]) not in waived)
        if entry["kind"] not in FULLY_OWNED:
            if failed:
                print(f"{spec.name}: {path.name} (partly the user's, not asserted): {', '.join(failed)}")
        elif failed:
            unwaived.append(f"{path.name}: {', '.join(failed)}")
    assert not unwaived, f"{spec.name}: checkov checks failed and not waived in docs/security.md: " + "; ".join(unwaived)


def test_every_waiver_is_still_needed(checkov_findings):
    """A waiver no rendered object needs any more is stale: the table would claim too much."""
    fired = defaultdict(set)
    for entry in checkov_findings.values():
        for check in entry["failed"]:
            fired[entry["kind"]].add(check)
    stale = sorted(f"{check} on {kind}" for check, kind in waivers() if check not in fired[kind])
    assert not stale, f"docs/security.md waives checks nothing fails any more: {', '.join(stale)}"


def test_waiver_table_is_read():
    assert all(kind in FULLY_OWNED for _, kind in waivers()), "a waiver names a kind Keyway does not fully own"


def test_renewal_job_with_a_digest_passes_every_check(tmp_path):
    """Pinned by digest, the CronJob fails only the waived secrets-as-environment check (the spec's
    contract gives it VAULT_TOKEN from the Secret): the digest waiver is then not needed."""
    digest = "hashicorp/vault:1.20@sha256:" + "0" * 64
    text = (ROOT / "specs" / "dev.yaml").read_text().replace("      period: 24h\n", f'      period: 24h\n      renewal: {{image: "{digest}"}}\n')
    spec = tmp_path / "dev.yaml"
    spec.write_text(text)
    assert compile_to(tmp_path / "out", spec).returncode == 0
    job = tmp_path / "out" / "dev" / "manifests" / "external-secrets" / "cronjob-vault-token-renewal.yaml"
    assert yaml.safe_load(job.read_text())["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["image"] == digest
    result = subprocess.run(
        ["checkov", "-f", str(job), "--framework", "kubernetes", "-o", "json", "--skip-download", "--compact"], capture_output=True, text=True
    )
    report = json.loads(result.stdout)
    failed = [c["check_id"] for c in report["results"]["failed_checks"]]
    assert failed == ["CKV_K8S_35"] and report["summary"]["passed"] > 0, failed
