# openapi_doc.sh - docs/api/openapi.json and openapi.yaml are what
# scripts/openapi.py writes (the contract is edited there, once). The
# route table is held against the JSON by unit.api_contract.
. "$SOPORTE_SRC/tests/lib/lib.sh"

python3 "$SOPORTE_SRC/scripts/openapi.py" --check ||
	fail "docs/api/openapi.{json,yaml} are stale: run scripts/openapi.py"
python3 - "$SOPORTE_SRC/docs/api/openapi.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert doc["openapi"].startswith("3.1"), doc["openapi"]
ops = [(m, p) for p, item in doc["paths"].items() for m in item]
assert len(ops) >= 60, len(ops)
for p, item in doc["paths"].items():
    for m, op in item.items():
        assert op.get("x-soporte-action"), (m, p)
        assert op.get("responses"), (m, p)
PY
