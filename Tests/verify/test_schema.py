"""`compile schema` against the jsonschema validator: every valid spec validates, and each kind of
mistake the schema can see (unknown key, wrong enum value, two auth methods, a missing required
key) is refused by the schema and by the compiler alike."""

import copy
import json
import subprocess

import jsonschema
import pytest
import yaml

from conftest import COMPILE, ROOT, SPECS

SCHEMA_FILE = ROOT / "schema" / "keyway.schema.json"


@pytest.fixture(scope="module")
def validator():
    printed = subprocess.run([str(COMPILE), "schema"], capture_output=True, text=True, check=True).stdout
    assert printed == SCHEMA_FILE.read_text(), "schema/keyway.schema.json is not what 'compile schema' prints"
    schema = json.loads(printed)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("spec_path", SPECS, ids=lambda p: p.name)
def test_every_valid_spec_validates(validator, spec_path):
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(yaml.safe_load(spec_path.read_text()))]
    assert errors == []


def secret(spec):
    return spec["apps"]["meu-app"]["secrets"]["minha-api-secret"]


def unknown_key(spec):
    secret(spec)["refreshIntervl"] = "1m"


def wrong_enum(spec):
    secret(spec)["creationPolicy"] = "Owned"


def wrong_store_kind(spec):
    spec["secretStore"]["kind"] = "NamespacedSecretStore"


def two_auth_methods(spec):
    spec["vault"]["auth"]["kubernetes"] = {"role": "eso", "serviceAccountRef": {"name": "eso", "namespace": "external-secrets"}}


def two_sources(spec):
    secret(spec)["find"] = {"path": "dev/apps"}


def missing_required(spec):
    del spec["vault"]["kv"]["mount"]


def missing_apps(spec):
    del spec["apps"]


def unknown_top_key(spec):
    spec["vualt"] = {}


MISTAKES = [unknown_key, wrong_enum, wrong_store_kind, two_auth_methods, two_sources, missing_required, missing_apps, unknown_top_key]


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda f: f.__name__)
def test_mistakes_do_not_validate(validator, mistake, tmp_path):
    spec = yaml.safe_load((ROOT / "specs" / "dev.yaml").read_text())
    assert validator.is_valid(spec)
    broken = copy.deepcopy(spec)
    mistake(broken)
    assert not validator.is_valid(broken), f"the schema accepts the spec after {mistake.__name__}"
    # The compiler refuses it too: the schema never refuses what the compiler accepts here.
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken, sort_keys=False))
    result = subprocess.run([str(COMPILE), str(path)], capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout == "", result.stderr


def test_yaml_language_server_comment_is_ignored_by_the_compiler(tmp_path):
    """The editor line documented in docs/spec.md changes nothing in the output."""
    original = (ROOT / "specs" / "dev.yaml").read_text()
    path = tmp_path / "dev.yaml"
    path.write_text("# yaml-language-server: $schema=../schema/keyway.schema.json\n" + original)
    plain = subprocess.run([str(COMPILE), str(ROOT / "specs" / "dev.yaml")], capture_output=True, text=True)
    commented = subprocess.run([str(COMPILE), str(path)], capture_output=True, text=True)
    assert plain.returncode == commented.returncode == 0
    assert plain.stdout == commented.stdout
