#!/usr/bin/env bash
# release/release.sh: a Gantry release, the same on github.com (.github/workflows/release.yml) and in the local
# release test (ReleaseTest: a real registry on loopback, bare git repositories standing in for GitHub).
#
#   release/release.sh check   vX.Y.Z        refusals that need nothing remote: the tag is v + the version in
#                                             pom.xml, the tree is clean, every action.yml names that version
#   release/release.sh images  vX.Y.Z        check; refuse a version the registry holds from another commit; build
#                                             the runtime image and the five action images, push each one (an image
#                                             a failed run already pushed is kept: same digest); pull each by
#                                             digest without credentials, or stop with the one-time fix
#   release/release.sh publish vX.Y.Z        check; every image pushed from this commit and pullable without
#                                             credentials; then, in this order: the release commit (this commit with
#                                             every action.yml pinned by digest), one repository per action
#                                             (tagged vX.Y.Z), the tag vX.Y.Z here, the major tags vX; release notes
#   release/release.sh all     vX.Y.Z        images, then publish
#   release/release.sh stage   vX.Y.Z DIR    write what each action's repository would receive into DIR/<action>/,
#                                             with the digests of RELEASE_DIGESTS (lines `<action> sha256:<hex>`);
#                                             pushes nothing (the Marketplace rules test reads it)
#
# Every command can be re-run: a run that failed part-way is resumed (what was pushed is checked and kept), and a
# release that is complete is a no-op. A version is never overwritten: an image, tag or action repository that
# holds the version with other content stops the run before anything is pushed.
#
# Settings (environment):
#   REGISTRY          where the images go: REGISTRY/<action> (default ghcr.io/gantry-actions/gantry)
#   ORIGIN            this repository's remote for the release tags (default origin)
#   ACTIONS_REMOTE    base URL of the per-action repositories, ACTIONS_REMOTE/<action>.git
#                     (default https://github.com/gantry-actions)
#   MONOREPO_URL      web URL of this repository, for links in the published READMEs
#                     (default https://github.com/gantry-actions/gantry)
#   RELEASE_GIT_TOKEN a token that may push to ORIGIN and the action repositories over https (optional; sent as
#                     an HTTP header, never written to disk, masked in the log)
#   RELEASE_PULL_BASES 1 (default): `docker build --pull` for the runtime image's bases; 0 where no registry
#                     is reachable and local stand-ins are used (.ci/setup-docker)
#   RELEASE_WORK      scratch folder (default ${RUNNER_TEMP:-/tmp}/gantry-release)
#   RELEASE_NOTES     where `publish` writes the release notes (default RELEASE_WORK/notes-<tag>.md)
#
# Exit codes: 0 done; 1 refused (the reason and the fix are printed); 2 bad usage; 3 a tool, the registry or a
# git remote failed (re-run to resume).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REGISTRY=${REGISTRY:-ghcr.io/gantry-actions/gantry}
ORIGIN=${ORIGIN:-origin}
ACTIONS_REMOTE=${ACTIONS_REMOTE:-https://github.com/gantry-actions}
MONOREPO_URL=${MONOREPO_URL:-https://github.com/gantry-actions/gantry}
RELEASE_PULL_BASES=${RELEASE_PULL_BASES:-1}
RELEASE_WORK=${RELEASE_WORK:-${RUNNER_TEMP:-/tmp}/gantry-release}
RUNTIME_IMAGE=localhost/gantry/runtime
# The identity and date of the commits the release writes: fixed, so a re-run writes the very same commits.
BOT_NAME='github-actions[bot]'
BOT_EMAIL='41898282+github-actions[bot]@users.noreply.github.com'

say() { printf '%s\n' "release: $*"; }
group() { if [ -n "${GITHUB_ACTIONS:-}" ]; then echo "::group::$*"; else say "== $*"; fi; }
endgroup() { if [ -n "${GITHUB_ACTIONS:-}" ]; then echo "::endgroup::"; fi; }
# refuse MESSAGE...: stop before anything (more) is pushed; exit 1.
refuse() {
  local first=$1; shift
  if [ -n "${GITHUB_ACTIONS:-}" ]; then echo "::error title=release refused::$first"; fi
  printf 'release: REFUSED: %s\n' "$first" >&2
  for l in "$@"; do printf '  %s\n' "$l" >&2; done
  exit 1
}
# fail MESSAGE: a tool or remote failed; re-running resumes; exit 3.
fail() {
  if [ -n "${GITHUB_ACTIONS:-}" ]; then echo "::error title=release failed::$1"; fi
  printf 'release: FAILED: %s\n' "$1" >&2
  printf '  %s\n' "Nothing after this step was published; re-run the same command to resume." >&2
  exit 3
}
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

# --- the version --------------------------------------------------------------------------------------------

# The project version: the <version> right after <artifactId>gantry-parent</artifactId> in pom.xml.
pom_version() {
  awk '/<artifactId>gantry-parent<\/artifactId>/ { f = 1; next }
       f && /<version>/ { sub(/.*<version>[ \t]*/, ""); sub(/[ \t]*<\/version>.*/, ""); print; exit }' "$ROOT/pom.xml"
}

actions() { (cd "$ROOT/actions" && for d in */action.yml; do echo "${d%/action.yml}"; done); }

# The one `image:` line of runs in an action.yml, its value without quotes.
image_of() {
  sed -n "s/^  image:[ ]*['\"]\{0,1\}\([^'\"]*\)['\"]\{0,1\}[ ]*$/\1/p" "$1"
}

# check_tag TAG: the tag is v + the project version. Sets TAG, VERSION and MAJOR (empty for a pre-release).
check_tag() {
  TAG=$1
  [[ $TAG =~ ^v([0-9]+)\.([0-9]+)\.([0-9]+)(-[0-9A-Za-z.-]+)?$ ]] \
    || { echo "release: the tag must look like v1.2.3 or v1.2.3-rc.1, not '$TAG'" >&2; exit 2; }
  local project
  project=$(pom_version)
  [ -n "$project" ] || fail "no project version in $ROOT/pom.xml"
  [ "$TAG" = "v$project" ] || refuse "the tag $TAG does not match the project version $project (pom.xml)" \
    "Release v$project, or set the version first (every pom.xml and the image line of every actions/*/action.yml)," \
    "commit, and run the release from that commit."
  VERSION=$project
  if [ -n "${BASH_REMATCH[4]}" ]; then MAJOR=; else MAJOR=v${BASH_REMATCH[1]}; fi
}

# check_tree: the release is made from a commit, exactly: a clean tree, and action.yml files that name the
# version being released. Sets HEAD_SHA.
check_tree() {
  git -C "$ROOT" rev-parse --verify -q HEAD >/dev/null || fail "$ROOT is not a git checkout with a commit"
  HEAD_SHA=$(git -C "$ROOT" rev-parse HEAD)
  local dirty
  dirty=$(git -C "$ROOT" status --porcelain --untracked-files=normal)
  [ -z "$dirty" ] || refuse "the working tree has changes that are not committed; a release is made from a commit only" \
    "$(printf '%s\n' "$dirty" | head -n 20 | sed '2,$s/^/  /')" "Commit or remove them (git status), then run the release again."

  local a image want
  for a in $(actions); do
    image=$(image_of "$ROOT/actions/$a/action.yml")
    want="docker://*/$a:$VERSION"
    # shellcheck disable=SC2053
    [[ $image == $want ]] || refuse "actions/$a/action.yml names the image '$image', not the version $VERSION" \
      "runs.image must be docker://$REGISTRY/$a:$VERSION on the commit a release is made from (the version story:" \
      "pom.xml, every action.yml, the README uses: lines). VersionStoryTest checks it on every build."
  done
}

# check TAG: what is refused before anything remote is asked or pushed.
check() {
  check_tag "$1"
  check_tree
  say "tag $TAG = version $VERSION (pom.xml), tree clean at $HEAD_SHA"
}

# --- the registry -------------------------------------------------------------------------------------------

registry_host() { echo "${REGISTRY%%/*}"; }
is_loopback() { case "$(registry_host)" in 127.*|localhost|localhost:*|\[::1\]*) return 0 ;; *) return 1 ;; esac; }
# skopeo flags: plain HTTP only for a loopback registry; the credentials of `docker login`.
skopeo_read() {
  local args=()
  if is_loopback; then args+=(--tls-verify=false); fi
  local auth=${DOCKER_CONFIG:-$HOME/.docker}/config.json
  if [ -f "$auth" ]; then args+=(--authfile "$auth"); fi
  skopeo inspect "${args[@]}" "$@"
}

# remote_state ACTION: prints "absent", or "<digest> <revision>" of REGISTRY/ACTION:VERSION. Only a registry that
# says the manifest or name is unknown proves absence; any other error stops the release (exit 3).
remote_state() {
  local ref=$REGISTRY/$1:$VERSION out err
  err=$RELEASE_WORK/skopeo.err
  if out=$(skopeo_read --format '{{.Digest}} {{index .Labels "org.opencontainers.image.revision"}}' "docker://$ref" 2>"$err"); then
    echo "$out"
  elif grep -qiE 'manifest unknown|name unknown|not found|404' "$err"; then
    echo absent
  else
    fail "could not read $ref from the registry: $(tr '\n' ' ' <"$err")"
  fi
}

# registry_preflight: every action's image is absent or was pushed from HEAD (a run to resume); an image of this
# version from another commit refuses the release before anything is built or pushed. Fills STATE[action].
declare -A STATE=()
registry_preflight() {
  local a s digest revision
  for a in $(actions); do
    s=$(remote_state "$a")
    STATE[$a]=$s
    [ "$s" = absent ] && continue
    digest=${s%% *}; revision=${s#* }
    [ "$revision" = "$HEAD_SHA" ] || refuse "$REGISTRY/$a:$VERSION already exists with digest $digest, built from commit ${revision:-<unknown>}, not $HEAD_SHA" \
      "A version is published once and never overwritten. Set a new version (pom.xml and the action.yml image lines)" \
      "and release that."
  done
}

# build_and_push ACTION: the action's image from its folder, labelled with the version and the commit, pushed
# under REGISTRY/ACTION:VERSION. Prints nothing but progress; the digest is read back from the registry.
build_and_push() {
  local a=$1 ref=$REGISTRY/$1:$VERSION
  local ctx=$ROOT/actions/$a
  [ -f "$ctx/target/$a.jar" ] && [ -d "$ctx/target/lib" ] && [ -d "$ctx/target/image" ] \
    || refuse "actions/$a/target/ has no packaged jar: build first (./mvnw -B verify)"
  # target/lib/ keeps jars of earlier versions (copy-dependencies adds, never removes): the image would carry both
  local common
  common=$(cd "$ctx/target/lib" && ls gantry-common-*.jar 2>/dev/null | tr '\n' ' ')
  [ "$common" = "gantry-common-$VERSION.jar " ] \
    || refuse "actions/$a/target/lib/ holds ${common:-no gantry-common jar}, not exactly gantry-common-$VERSION.jar" \
      "Stale build output: build from clean (./mvnw -B clean verify), then run the release again."
  group "build $ref"
  docker build --force-rm --label "org.opencontainers.image.version=$VERSION" \
    --label "org.opencontainers.image.revision=$HEAD_SHA" -t "$ref" "$ctx" || fail "docker build of $a"
  endgroup
  group "push $ref"
  docker push "$ref" || fail "docker push $ref"
  endgroup
}

build_runtime() {
  group "build the runtime image $RUNTIME_IMAGE (common/image)"
  local pull=()
  [ "$RELEASE_PULL_BASES" = 1 ] && pull=(--pull)
  docker build --force-rm "${pull[@]}" -t "$RUNTIME_IMAGE" "$ROOT/common/image" || fail "docker build of the runtime image"
  endgroup
}

# pull_anonymously: every image, by digest, with no credentials at all (what a runner in another repository does
# in "Set up job"), manifest, config and every layer. Where one fails: stop with the one-time fix.
pull_anonymously() {
  local a ref dest=$RELEASE_WORK/anonymous-pull err=$RELEASE_WORK/pull.err failed=()
  local args=(--src-no-creds --quiet)
  if is_loopback; then args+=(--src-tls-verify=false); fi
  rm -rf "$dest"
  for a in $(actions); do
    ref=$REGISTRY/$a@${DIGEST[$a]}
    if skopeo copy "${args[@]}" "docker://$ref" "oci:$dest:$a" 2>"$err"; then
      say "pulled without credentials: $ref"
    elif grep -qiE 'unauthorized|denied|authentication required|401|403' "$err"; then
      failed+=("$a")
      say "cannot pull without credentials: $ref ($(tr '\n' ' ' <"$err" | cut -c1-300))"
    else
      fail "anonymous pull of $ref: $(tr '\n' ' ' <"$err")"
    fi
  done
  rm -rf "$dest"
  [ ${#failed[@]} -eq 0 ] && return 0
  local fix=()
  for a in "${failed[@]}"; do fix+=("$(visibility_fix "$a")"); done
  refuse "${#failed[@]} image(s) cannot be pulled without credentials: ${failed[*]}. A runner pulls action images in" \
    "\"Set up job\", before any login, so every other repository would fail there. Nothing was tagged." \
    "One-time fix, per image (a registry setting; it has no API on GHCR):" "${fix[@]}" \
    "Then re-run the release with the same tag: the pushed images are kept, with the same digests."
}

# visibility_fix ACTION: the exact step that makes the image public.
visibility_fix() {
  local a=$1 host path owner package
  host=$(registry_host); path=${REGISTRY#*/}
  if [ "$host" = ghcr.io ]; then
    owner=${path%%/*}; package=${path#*/}/$a; [ "$path" = "$owner" ] && package=$a
    echo "- $host/$path/$a: open https://github.com/orgs/$owner/packages/container/${package//\//%2F}/settings," \
      "Danger Zone > Change package visibility > Public (the package page's settings; an organization owner may" \
      "first have to allow public packages: Organization settings > Packages)."
  else
    echo "- $REGISTRY/$a: make this repository readable without credentials (anonymous pull) in $host."
  fi
}

declare -A DIGEST=()
# images_phase: preflight, then build and push what is missing, then the anonymous pull.
images_phase() {
  command -v docker >/dev/null || fail "docker is not installed"
  command -v skopeo >/dev/null || fail "skopeo is not installed (apt-get install skopeo)"
  registry_preflight
  local a s todo=()
  for a in $(actions); do
    s=${STATE[$a]}
    if [ "$s" = absent ]; then todo+=("$a"); else DIGEST[$a]=${s%% *}; say "kept from an earlier run: $REGISTRY/$a@${DIGEST[$a]}"; fi
  done
  if [ ${#todo[@]} -gt 0 ]; then
    build_runtime
    for a in "${todo[@]}"; do
      build_and_push "$a"
      s=$(remote_state "$a")
      [ "$s" != absent ] && [ "${s#* }" = "$HEAD_SHA" ] || fail "$REGISTRY/$a:$VERSION is not in the registry after the push"
      DIGEST[$a]=${s%% *}
      say "pushed $REGISTRY/$a@${DIGEST[$a]}"
    done
  fi
  pull_anonymously
  report_digests
}

report_digests() {
  local a json='' sep=''
  for a in $(actions); do json="$json$sep\"$a\":\"${DIGEST[$a]}\""; sep=,; done
  say "digests: {$json}"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "digests={$json}" >>"$GITHUB_OUTPUT"; fi
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    { echo "### Images of $TAG"; echo; echo "| action | image |"; echo "| --- | --- |"
      for a in $(actions); do echo "| $a | \`$REGISTRY/$a@${DIGEST[$a]}\` |"; done; } >>"$GITHUB_STEP_SUMMARY"
  fi
}

# --- git ----------------------------------------------------------------------------------------------------

# An https token goes to git as an HTTP header through the environment: never on disk, never in a URL.
git_auth() {
  [ -n "${RELEASE_GIT_TOKEN:-}" ] || return 0
  local basic
  basic=$(printf 'x-access-token:%s' "$RELEASE_GIT_TOKEN" | base64 | tr -d '\n')
  if [ -n "${GITHUB_ACTIONS:-}" ]; then echo "::add-mask::$basic"; fi
  export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="http.https://github.com/.extraheader" \
    GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $basic"
}

# remote_ref REMOTE REF: the commit REF names on REMOTE, or nothing.
remote_ref() {
  local out
  out=$(git -C "$ROOT" ls-remote "$1" "$2") || fail "cannot read $1 (git ls-remote)"
  echo "${out%%[[:space:]]*}"
}

# commit_tree TREE PARENT MESSAGE: a commit with the release identity and HEAD's date, so the same content
# gives the same commit on every run.
commit_tree() {
  local date
  date=$(git -C "$ROOT" log -1 --format=%cI "$HEAD_SHA")
  GIT_AUTHOR_NAME=$BOT_NAME GIT_AUTHOR_EMAIL=$BOT_EMAIL GIT_AUTHOR_DATE=$date \
  GIT_COMMITTER_NAME=$BOT_NAME GIT_COMMITTER_EMAIL=$BOT_EMAIL GIT_COMMITTER_DATE=$date \
    git -C "$ROOT" commit-tree "$1" ${2:+-p "$2"} -m "$3"
}

# release_commit: HEAD with every action.yml's image pinned by digest (the commit vX.Y.Z names). Prints its sha.
release_commit() {
  local index=$RELEASE_WORK/index a file blob tree msg
  rm -f "$index"
  GIT_INDEX_FILE=$index git -C "$ROOT" read-tree "$HEAD_SHA"
  msg="Release $TAG"$'\n\n'"Every action.yml pins its image by digest:"
  for a in $(actions); do
    file=actions/$a/action.yml
    blob=$(git -C "$ROOT" show "$HEAD_SHA:$file" | pinned_action_yml "$a" | git -C "$ROOT" hash-object -w --stdin)
    GIT_INDEX_FILE=$index git -C "$ROOT" update-index --cacheinfo "100644,$blob,$file"
    msg="$msg"$'\n'"  $a: $REGISTRY/$a@${DIGEST[$a]}"
  done
  tree=$(GIT_INDEX_FILE=$index git -C "$ROOT" write-tree)
  rm -f "$index"
  commit_tree "$tree" "$HEAD_SHA" "$msg"
}

# pinned_action_yml ACTION: stdin's action.yml with runs.image replaced by the digest reference.
pinned_action_yml() {
  local ref="docker://$REGISTRY/$1@${DIGEST[$1]}"
  sed "s|^  image:.*\$|  image: '$ref'|"
}

# --- the action repositories ----------------------------------------------------------------------------------

# stage_action ACTION DIR [COMMIT]: what ACTION's own repository holds for this release: action.yml with the image
# pinned by digest, README.md (uses: lines for the listing, links that work outside the monorepo) and LICENSE,
# read from COMMIT (the working tree without one). Nothing else: no workflow files (a Marketplace rule).
stage_action() {
  local a=$1 dir=$2 from=${3:-}
  rm -rf "$dir"; mkdir -p "$dir"
  read_file "$from" "actions/$a/action.yml" | pinned_action_yml "$a" >"$dir/action.yml"
  read_file "$from" "actions/$a/README.md" | listing_readme "$a" >"$dir/README.md"
  read_file "$from" LICENSE >"$dir/LICENSE"
}

read_file() {
  if [ -n "$1" ]; then git -C "$ROOT" show "$1:$2"; else cat "$ROOT/$2"; fi
}

# listing_readme ACTION: the action's README as its own repository shows it: `uses:` names the action's own
# repository (gantry-actions/<action>@vN), and relative links point into the monorepo at this tag.
listing_readme() {
  local owner=${ACTIONS_REMOTE##*/}
  A=$1 BASE="$MONOREPO_URL/blob/$TAG" OWNER=$owner perl -pe '
    BEGIN { sub monorepo_url { my @p = ("actions", $ENV{A});
      for (split m{/}, $_[0]) { next if $_ eq "." or $_ eq ""; if ($_ eq "..") { pop @p } else { push @p, $_ } }
      return "$ENV{BASE}/" . join("/", @p) } }
    s{gantry-actions/gantry/actions/([a-z][a-z0-9-]*)@}{$ENV{OWNER}/$1@}g;
    s{\]\((?![a-z][a-z0-9+.-]*:|#|/)([^)\s]+)\)}{"](" . monorepo_url($1) . ")"}ge;'
}

# prepare_action ACTION: fetch ACTION's repository and decide what this release adds to it: nothing (it has the
# tag with this very content: a run to resume), or a commit with the staged files on main and the tag vX.Y.Z.
# Refused, before anything is pushed anywhere, when it has vX.Y.Z with other content. Sets ACTION_COMMIT and
# ACTION_TODO (main+tag, tag or nothing).
declare -A ACTION_COMMIT=() ACTION_TODO=()
prepare_action() {
  local a=$1 url=$ACTIONS_REMOTE/$1.git repo=$RELEASE_WORK/repos/$1 stage=$RELEASE_WORK/stage/$1
  local tagged main tree
  stage_action "$a" "$stage" "$RELEASE_SHA"
  rm -rf "$repo"
  git init -q --bare "$repo"
  git -C "$repo" fetch -q "$url" '+refs/heads/*:refs/heads/*' '+refs/tags/*:refs/tags/*' \
    || fail "cannot fetch $url (the repository must exist, empty or not, and the token must reach it)"
  tree=$(stage_tree "$repo" "$stage")
  tagged=$(git -C "$repo" rev-parse -q --verify "refs/tags/$TAG^{commit}" || true)
  if [ -n "$tagged" ]; then
    [ "$(git -C "$repo" rev-parse "$tagged^{tree}")" = "$tree" ] \
      || refuse "$url already has $TAG with other content; a version is never overwritten" \
        "Set a new version and release that."
    ACTION_COMMIT[$a]=$tagged; ACTION_TODO[$a]=nothing
    return 0
  fi
  main=$(git -C "$repo" rev-parse -q --verify refs/heads/main || true)
  if [ -n "$main" ] && [ "$(git -C "$repo" rev-parse "$main^{tree}")" = "$tree" ]; then
    ACTION_COMMIT[$a]=$main; ACTION_TODO[$a]=tag   # an earlier run pushed main and stopped before the tag
  else
    ACTION_COMMIT[$a]=$(commit_tree_in "$repo" "$tree" "$main" \
      "Gantry $a $TAG"$'\n\n'"Published from $MONOREPO_URL/tree/$TAG (commit $RELEASE_SHA).")
    ACTION_TODO[$a]='main+tag'
  fi
}

# push_action ACTION: what prepare_action decided.
push_action() {
  local a=$1 url=$ACTIONS_REMOTE/$1.git repo=$RELEASE_WORK/repos/$1 commit=${ACTION_COMMIT[$1]}
  case ${ACTION_TODO[$a]} in
    nothing) say "$url: $TAG is already there ($commit)"; return 0 ;;
    main+tag) git -C "$repo" push -q "$url" "$commit:refs/heads/main" \
                || fail "cannot push main to $url (has someone pushed to it? main must only move by releases)" ;;
  esac
  git -C "$repo" push -q "$url" "$commit:refs/tags/$TAG" || fail "cannot push $TAG to $url"
  say "$url: $TAG at $commit (main too)"
}

# stage_tree REPO DIR: the tree object of DIR's files (regular files only, mode 100644), written into REPO.
stage_tree() {
  local repo=$1 dir=$2 index=$RELEASE_WORK/stage.index f blob
  rm -f "$index"
  for f in $(cd "$dir" && ls -A); do
    blob=$(git -C "$repo" hash-object -w "$dir/$f")
    GIT_INDEX_FILE=$index git -C "$repo" update-index --add --cacheinfo "100644,$blob,$f"
  done
  GIT_INDEX_FILE=$index git -C "$repo" write-tree
  rm -f "$index"
}

commit_tree_in() {
  local repo=$1 tree=$2 parent=$3 msg=$4 date
  date=$(git -C "$ROOT" log -1 --format=%cI "$HEAD_SHA")
  GIT_AUTHOR_NAME=$BOT_NAME GIT_AUTHOR_EMAIL=$BOT_EMAIL GIT_AUTHOR_DATE=$date \
  GIT_COMMITTER_NAME=$BOT_NAME GIT_COMMITTER_EMAIL=$BOT_EMAIL GIT_COMMITTER_DATE=$date \
    git -C "$repo" commit-tree "$tree" ${parent:+-p "$parent"} -m "$msg"
}

# --- publish ------------------------------------------------------------------------------------------------

publish_phase() {
  command -v skopeo >/dev/null || fail "skopeo is not installed (apt-get install skopeo)"
  command -v perl >/dev/null || fail "perl is not installed"
  git_auth
  local a s
  # The tag on this repository: absent, or a release commit of HEAD (a run to resume); else refused.
  local existing
  existing=$(remote_ref "$ORIGIN" "refs/tags/$TAG")
  if [ -n "$existing" ]; then
    git -C "$ROOT" fetch -q "$ORIGIN" "refs/tags/$TAG" 2>/dev/null || fail "cannot fetch $TAG from $ORIGIN"
    [ "$(git -C "$ROOT" rev-parse "$existing^" 2>/dev/null)" = "$HEAD_SHA" ] \
      || refuse "$TAG already exists on $ORIGIN at $existing, which was not released from $HEAD_SHA" \
        "A version is released once. Set a new version and release that."
  fi
  if [ ${#DIGEST[@]} -eq 0 ]; then
    registry_preflight
    for a in $(actions); do
      s=${STATE[$a]}
      [ "$s" != absent ] || refuse "$REGISTRY/$a:$VERSION is not pushed yet: run 'release.sh images $TAG' first"
      DIGEST[$a]=${s%% *}
    done
    pull_anonymously
  fi
  RELEASE_SHA=$(release_commit)
  if [ -n "$existing" ] && [ "$existing" != "$RELEASE_SHA" ]; then
    refuse "$TAG already exists on $ORIGIN at $existing, not at $RELEASE_SHA (the same commit with other image digests)" \
      "A version is never overwritten. Set a new version and release that."
  fi
  say "release commit $RELEASE_SHA: $HEAD_SHA with every action.yml pinned by digest"

  group "action repositories: prepare"
  for a in $(actions); do prepare_action "$a"; done
  endgroup
  group "action repositories: push"
  for a in $(actions); do push_action "$a"; done
  endgroup

  if [ -z "$existing" ]; then
    git -C "$ROOT" push -q "$ORIGIN" "$RELEASE_SHA:refs/tags/$TAG" || fail "cannot push $TAG to $ORIGIN"
    say "$ORIGIN: $TAG at $RELEASE_SHA"
  else
    say "$ORIGIN: $TAG is already there"
  fi

  if [ -n "$MAJOR" ]; then
    move_major "$ROOT" "$ORIGIN" "$RELEASE_SHA"
    for a in $(actions); do move_major "$RELEASE_WORK/repos/$a" "$ACTIONS_REMOTE/$a.git" "${ACTION_COMMIT[$a]}"; done
  else
    say "$TAG is a pre-release: no major tag moves"
  fi
  write_notes
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    { echo "release-commit=$RELEASE_SHA"; echo "major=$MAJOR"; echo "notes=$NOTES"; } >>"$GITHUB_OUTPUT"
  fi
  say "released $TAG"
}

# move_major GITDIR REMOTE COMMIT: vX on REMOTE names COMMIT (pushed from GITDIR, which has it), unless it names
# a later release already (re-running an older release never moves vX back).
move_major() {
  local dir=$1 remote=$2 commit=$3 current
  current=$(remote_ref "$remote" "refs/tags/$MAJOR")
  if [ "$current" = "$commit" ]; then say "$remote: $MAJOR is already at $commit"; return 0; fi
  if [ -n "$current" ] && newer_release_at "$remote" "$current"; then
    say "$remote: $MAJOR stays at $current, a later release than $TAG"
    return 0
  fi
  git -C "$dir" push -q -f "$remote" "$commit:refs/tags/$MAJOR" || fail "cannot move $MAJOR on $remote"
  say "$remote: $MAJOR moved to $commit"
}

# newer_release_at REMOTE COMMIT: whether COMMIT carries a vX.Y.Z tag on REMOTE that sorts after TAG.
newer_release_at() {
  local t
  for t in $(git -C "$ROOT" ls-remote --tags "$1" | awk -v c="$2" '$1 == c { sub("refs/tags/", "", $2); print $2 }'); do
    [[ $t =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || continue
    [ "$(printf '%s\n%s\n' "${TAG#v}" "${t#v}" | sort -V | tail -n1)" != "${TAG#v}" ] && return 0
  done
  return 1
}

# write_notes: what changed since the previous release, each image's digest, how to pin and verify.
write_notes() {
  NOTES=${RELEASE_NOTES:-$RELEASE_WORK/notes-$TAG.md}
  local prev='' prev_source='' a t
  for t in $(git -C "$ROOT" ls-remote --tags "$ORIGIN" 'v*' | awk '{ sub("refs/tags/", "", $2); print $2 }' \
             | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' | sort -V); do
    [ "$t" = "$TAG" ] && break
    [ "$(printf '%s\n%s\n' "${t#v}" "${TAG#v}" | sort -V | head -n1)" = "${t#v}" ] && prev=$t
  done
  if [ -n "$prev" ]; then
    git -C "$ROOT" fetch -q "$ORIGIN" "refs/tags/$prev:refs/tags/$prev" 2>/dev/null || true
    prev_source=$(git -C "$ROOT" rev-parse -q --verify "$prev^{commit}^" 2>/dev/null || true)
  fi
  mkdir -p "$(dirname "$NOTES")"
  {
    echo "## What changed"
    echo
    if [ -n "$prev_source" ]; then
      git -C "$ROOT" log --no-merges --format='- %s (%h)' "$prev_source..$HEAD_SHA"
      echo
      echo "Since $prev: $MONOREPO_URL/compare/$prev...$TAG"
    else
      echo "The first release."
    fi
    echo
    echo "## Images"
    echo
    echo "Each action.yml of $TAG names its image by digest, so a pin to $TAG or to its commit runs exactly these:"
    echo
    echo "| action | image |"
    echo "| --- | --- |"
    for a in $(actions); do echo "| \`$a\` | \`$REGISTRY/$a@${DIGEST[$a]}\` |"; done
    echo
    echo "## How to pin"
    echo
    echo "| you write | you get |"
    echo "| --- | --- |"
    echo "| \`uses: gantry-actions/gantry/actions/do-deploy@${MAJOR:-$TAG}\` | ${MAJOR:+the latest ${MAJOR#v}.x release (moves with each release)}${MAJOR:-this pre-release} |"
    echo "| \`uses: gantry-actions/gantry/actions/do-deploy@$TAG\` | this release and its images, by digest |"
    echo "| \`uses: gantry-actions/gantry/actions/do-deploy@$RELEASE_SHA\` | the same, immune to tag changes |"
    echo "| \`uses: gantry-actions/do-deploy@$TAG\` | the same, from the action's own repository (its Marketplace listing) |"
    echo
    echo "## Verify an image"
    echo
    echo "Every image has a build provenance attestation and an SBOM (SPDX), signed by this repository's release workflow:"
    echo
    echo '```'
    for a in $(actions); do echo "gh attestation verify oci://$REGISTRY/$a@${DIGEST[$a]} --repo gantry-actions/gantry"; done
    echo '```'
  } >"$NOTES"
  say "release notes: $NOTES"
}

# --- main ---------------------------------------------------------------------------------------------------

main() {
  [ $# -ge 2 ] || usage
  local command=$1
  mkdir -p "$RELEASE_WORK"
  case "$command" in
    check) check "$2" ;;
    images) check "$2"; images_phase ;;
    publish) check "$2"; publish_phase ;;
    all) check "$2"; images_phase; publish_phase ;;
    stage)
      [ $# -eq 3 ] || usage
      check_tag "$2"
      local a line
      [ -n "${RELEASE_DIGESTS:-}" ] || { echo "release: stage needs RELEASE_DIGESTS (lines '<action> sha256:<hex>')" >&2; exit 2; }
      while read -r a line; do [ -n "$a" ] && DIGEST[$a]=$line; done <<<"$RELEASE_DIGESTS"
      for a in $(actions); do
        [[ ${DIGEST[$a]:-} =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "release: RELEASE_DIGESTS has no digest for $a" >&2; exit 2; }
        stage_action "$a" "$3/$a"
      done
      say "staged $(actions | tr '\n' ' ')in $3"
      ;;
    *) usage ;;
  esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
