#!/bin/bash
# check_layers.sh STAMP LAYER=FILE[:FILE...] ... - the build's check that
# each layer calls only the layers it may use (docs/architecture.md).
#
# Each LAYER names its archive (a library) or its object files (the two
# executables). nm lists the symbols a layer leaves undefined and those
# each library defines; a symbol a layer needs from a library it may not
# use fails the build with one line per use. STAMP is touched when all is
# well, so the check runs again only when a layer is rebuilt.
set -u
export LC_ALL=C

# Who may use whom (util, the bottom, uses nobody).
declare -A may=(
	[util]=""
	[core]="util"
	[store]="util"
	[mail]="util"
	[render]="util"
	[app]="core store mail render util"
	[http]="app core util"
	[cli]="http app core util"
	[front]="util"   # and its own copy of src/store/sqlite_gate.c and
	                 # sqlite_setup.c: the light front's fast path
)
# The libraries that define symbols for others (the executables do not).
providers="util core store mail render app http"

stamp=$1
shift
declare -A files
order=()
for arg in "$@"; do
	name=${arg%%=*}
	files[$name]=${arg#*=}
	order+=("$name")
done

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# nm over a layer's files (colon-separated).
layer_nm() {
	local IFS=:
	# shellcheck disable=SC2086
	nm -A -P "$@" ${files[$layer]} 2>/dev/null
}

for layer in "${order[@]}"; do
	# "object symbol" for each symbol the layer needs; "symbol" for each
	# it defines (global).
	layer_nm -u | awk '{ o = $1; sub(/:$/, "", o); print o, $2 }' |
		sort -k2,2 >"$tmp/$layer.u"
	layer_nm -g --defined-only |
		awk '$3 != "U" { print $2 }' | sort -u >"$tmp/$layer.d"
	if [[ ! -s $tmp/$layer.d ]]; then
		echo "layers: nm read no symbols from src/$layer (${files[$layer]})" >&2
		exit 1
	fi
done

fail=0
for layer in "${order[@]}"; do
	[[ -v "may[$layer]" ]] || { echo "layers: unknown layer $layer" >&2; exit 1; }
	for lib in $providers; do
		[[ $lib == "$layer" ]] && continue
		[[ " ${may[$layer]} " == *" $lib "* ]] && continue
		[[ -f $tmp/$lib.d ]] || continue
		# Needed, not defined by the layer itself, defined by lib.
		join -1 2 -2 1 -o 1.1,1.2 "$tmp/$layer.u" \
			<(comm -23 "$tmp/$lib.d" "$tmp/$layer.d") >"$tmp/bad"
		while read -r obj sym; do
			obj=${obj##*[}
			obj=${obj%]}
			obj=${obj##*/}
			echo "layers: src/$layer may use ${may[$layer]:-no other layer};" \
			     "its ${obj%.o} uses $sym of src/$lib" >&2
			fail=1
		done <"$tmp/bad"
	done
done
if [[ $fail -ne 0 ]]; then
	echo "layers: a forbidden call (docs/architecture.md): add an app" \
	     "function, or move the code to the layer it belongs to" >&2
	exit 1
fi
touch "$stamp"
