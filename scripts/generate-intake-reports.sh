#!/usr/bin/env bash
# Regenerates __tests__/fixtures/reports/ by running real pytest on the projects in __tests__/fixtures/intake/.
# Never edit the generated files by hand: change a project or a run below and run this script again.
#
#   scripts/generate-intake-reports.sh   (needs python3 with pytest >= 9; installs pytest-xdist and coverage if missing)
#
# Each run writes reports/<run>/: junit.xml (when pytest wrote one), pytest.log (the console output),
# exit-code, collected.txt (`pytest --collect-only -q`: the node ids pytest knows) and command.txt.
# Every project is copied to a scratch checkout first; its absolute path becomes /checkout in the outputs,
# the Python install becomes /usr/lib/python3.11, and times, hosts and addresses are fixed, so that a
# regeneration only shows real changes.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
intake="$repo/__tests__/fixtures/intake"
reports="$repo/__tests__/fixtures/reports"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

python="${PYTHON:-python3}"
"$python" -m pytest --version
for module in xdist:pytest-xdist coverage:coverage; do
  if ! "$python" -c "import ${module%%:*}" 2>/dev/null; then
    "$python" -m pip install --quiet "${module#*:}" || echo "${module#*:} is not available: its runs will fail" >&2
  fi
done
stdlib="$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"

# Same output wherever this runs: no plugins but the ones asked for, no CI detection, 80 columns.
export PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 PYTHONDONTWRITEBYTECODE=1 COLUMNS=80
unset CI BUILD_NUMBER PYTEST_ADDOPTS || true

deterministic() {
  sed -i -E \
    -e "s#${scratch}/checkout#/checkout#g" \
    -e "s#${scratch}/junit.xml#/checkout/junit.xml#g" \
    -e "s#${scratch}#/tmp/scratch#g" \
    -e "s#${stdlib}#/usr/lib/python3.11#g" \
    -e 's/ time="[0-9.]+"/ time="0.010"/g' \
    -e 's/ timestamp="[^"]*"/ timestamp="2026-01-01T00:00:00.000000+00:00"/g' \
    -e 's/ hostname="[^"]*"/ hostname="runner"/g' \
    -e 's/0x[0-9a-f]{8,16}/0x7f1234567890/g' \
    -e 's/ in [0-9]+\.[0-9]+s( \([0-9:]+\))?/ in 0.50s/' \
    "$@"
}

# run NAME PROJECT CWD "REPORT ARGS" "SELECTION ARGS" [ENV=VALUE...]
run() {
  local name="$1" project="$2" cwd="$3" report_args="$4" selection="$5"
  shift 5
  local out="$reports/$name"
  rm -rf "$out" "$scratch/checkout"
  mkdir -p "$out"
  cp -r "$intake/$project" "$scratch/checkout"
  local status=0
  # shellcheck disable=SC2086 # the argument strings are split on purpose
  (cd "$scratch/checkout/$cwd" && env "$@" "$python" -m pytest -p no:cacheprovider $report_args \
    --junitxml="$scratch/junit.xml" $selection >"$out/pytest.log" 2>&1) || status=$?
  echo "$status" >"$out/exit-code"
  if [ -f "$scratch/junit.xml" ]; then mv "$scratch/junit.xml" "$out/junit.xml"; fi
  # shellcheck disable=SC2086
  (cd "$scratch/checkout/$cwd" && "$python" -m pytest -p no:cacheprovider --collect-only -q $selection 2>/dev/null |
    grep -E '^[^ ]+::' >"$out/collected.txt") || true
  printf 'project: %s\ncwd: %s\nenv: %s\npytest %s --junitxml=junit.xml %s\n' \
    "$project" "$cwd" "$*" "$report_args" "$selection" >"$out/command.txt"
  deterministic "$out"/*
  echo "$name: exit $status"
}

subset="tests/test_functions.py tests/test_phases.py tests/test_classes.py"

run basic-xunit2 basic . "-rA" ""
run basic-xunit1 basic . "-rA -o junit_family=xunit1" ""
run basic-xdist basic . "-p xdist -n 2 -rA" ""
run basic-maxfail basic . "--maxfail=3 -rfE" ""
run basic-ci basic . "-q -rfE" "" CI=true
run basic-verbose basic . "-v -rN" ""
run basic-xdist-verbose basic . "-p xdist -n 2 -v -rN" ""
run basic-color basic . "--color=yes -rfE" "tests/test_functions.py"
run basic-captured basic . "-rfE -o junit_logging=all" "tests/test_markers.py"
for tb in short line native no; do
  run "basic-tb-$tb" basic . "--tb=$tb -rfE" "$subset"
done
run basic-split-1 basic . "-rfE" "tests/test_functions.py"
run basic-split-2 basic . "-rfE" "tests/test_classes.py tests/test_params.py"

run basic-passing basic . "-rA" "tests/test_functions.py::test_add_passes tests/test_classes.py::TestAdd::test_positive"

run collect-errors collect_errors . "-rA" ""
run collect-errors-continue collect_errors . "-rA --continue-on-collection-errors" ""
run collect-errors-xdist collect_errors . "-p xdist -n 2 -rA" ""

run conftest-import-error conftest_import_error . "-rA" ""
run conftest-exception conftest_exception . "-rA" ""

run nested-root nested_root . "-rA" ""
run nested-root-subdir nested_root tests/unit "-rA" ""
run nested-root-subdir-xunit1 nested_root tests/unit "-rA -o junit_family=xunit1" ""
run nested-root-rootdir nested_root . "-rA" "--rootdir=tests tests"

run ambiguous ambiguous . "-rA" ""
run ambiguous-xunit1 ambiguous . "-rA -o junit_family=xunit1" ""

# Merged reports nest suites: wrap the two split reports in one <testsuites>, as report-merging tools do.
"$python" - "$reports" <<'PY'
import sys, xml.etree.ElementTree as ET
reports = sys.argv[1]
outer = ET.Element("testsuites", name="merged")
for part in ("basic-split-1", "basic-split-2"):
    outer.append(ET.parse(f"{reports}/{part}/junit.xml").getroot())
ET.ElementTree(outer).write(f"{reports}/nested-suites.xml", encoding="utf-8", xml_declaration=True)
PY
echo "nested-suites.xml: merged"

# Not a JUnit report, but a file users mistake for one: coverage.py's XML of the same project.
rm -rf "$scratch/checkout" "$reports/coverage" && mkdir -p "$reports/coverage"
cp -r "$intake/basic" "$scratch/checkout"
(cd "$scratch/checkout" && "$python" -m coverage run --source=calc -m pytest -p no:cacheprovider -q >/dev/null 2>&1 || true
  "$python" -m coverage xml -o "$reports/coverage/coverage.xml" >/dev/null 2>&1)
sed -i -E -e "s#${scratch}/checkout#/checkout#g" -e 's/timestamp="[0-9]+"/timestamp="1767225600000"/' \
  -e 's/<coverage version="[0-9.]+"/<coverage version="7.0"/' "$reports/coverage/coverage.xml"
echo "coverage/coverage.xml: written"
