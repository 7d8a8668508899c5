#!/usr/bin/env bash
# The Python package's tests (issue 20), called by ./test.sh: builds the abi3 wheel with
# maturin (from VEERKRACHT_PY_TOOLS, a virtualenv with maturin that .ci/run makes), installs
# it into a *new* virtualenv with only its declared dependencies and the test tools, then
# runs pytest (python/tests, including the Ray loopback cluster) and the example notebook.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="${VEERKRACHT_PY_TOOLS:?set VEERKRACHT_PY_TOOLS to a virtualenv with maturin (.ci/run makes .ci/venv-python)}"
"$TOOLS/bin/maturin" build --release --locked -m python/Cargo.toml -o target/wheels -q
WHEEL="$(ls -t target/wheels/veerkracht-*-abi3-*.whl | head -1)"
VENV=target/py-clean
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check --no-input \
  "$WHEEL[test,ray,sobol,geo]" "pandas==3.1.1" "pyarrow==26.0.1" "ray[default]==2.60.0" "SALib==1.6.0" \
  "pytest==9.2.0" "geopandas==1.2.0" "shapely==2.2.0" "esda==2.9.0" "libpysal==4.14.1"
cargo build --release --locked -q -p veerkracht
(cd python/tests && RAY_USAGE_STATS_ENABLED=0 "../../$VENV/bin/python" -m pytest -q -s -p no:cacheprovider .)
"$VENV/bin/python" python/examples/quickstart.py ../shared/peers/woningwaardering/fixtures/tests/data > /dev/null
echo "python: wheel $WHEEL installed in a new virtualenv, tests and the example passed"
