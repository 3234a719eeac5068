#!/usr/bin/env python3
"""Checks deploy/: the container file, the Kubernetes manifests and the
systemd unit carry what docs/DEPLOY.md promises, and the start-up the image
runs works: the installed tree (cmake --install), the init container's
lexicon merge with the ConfigMap's file, the Secret's config file, the
Deployment's arguments, run as the image's non-root user (uid 10001) from a
read-only install, answering /readyz and a scan, stopping cleanly on SIGTERM.

Usage: deploy_test.py SOURCE_DIR BUILD_DIR
No image is built here: this machine reaches Debian's packages but no
container registry, so the debian:12 base image cannot be pulled.
"""

import json
import os
import pathlib
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def load_manifests(kdir):
    docs = {}
    for path in sorted(kdir.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc is None:
                continue
            check("kind" in doc, f"{path.name}: no kind")
            docs.setdefault(doc.get("kind"), []).append(doc)
    return docs


def check_kustomization(kdir, docs):
    kust = docs["Kustomization"][0]
    listed = set(kust["resources"])
    present = {p.name for p in kdir.glob("*.yaml")} - {"kustomization.yaml"}
    check(listed == present,
          f"kustomization resources {sorted(listed)} != files {sorted(present)}")


def check_deployment(docs):
    dep = docs["Deployment"][0]
    spec = dep["spec"]
    check(spec["replicas"] >= 2, "Deployment: fewer than 2 replicas")
    pod = spec["template"]["spec"]
    psc = pod["securityContext"]
    check(psc.get("runAsNonRoot") is True, "pod runAsNonRoot")
    check(psc.get("runAsUser", 0) != 0, "pod runAsUser is root")
    for c in pod.get("initContainers", []) + pod["containers"]:
        sc = c.get("securityContext", {})
        name = c["name"]
        check(sc.get("readOnlyRootFilesystem") is True, f"{name}: read-only root")
        check(sc.get("allowPrivilegeEscalation") is False, f"{name}: no escalation")
        check(sc.get("capabilities", {}).get("drop") == ["ALL"], f"{name}: caps")
        res = c.get("resources", {})
        for kind in ("requests", "limits"):
            for r in ("cpu", "memory"):
                check(r in res.get(kind, {}), f"{name}: resources.{kind}.{r}")
    main = pod["containers"][0]
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        check("grpc" in main.get(probe, {}), f"{probe} is not a native gRPC probe")
    ports = {p["name"]: p["containerPort"] for p in main["ports"]}
    check(ports.get("grpc") == 50051, "grpc port 50051")
    check(pod["terminationGracePeriodSeconds"] > drain_seconds(main["args"]),
          "terminationGracePeriodSeconds not longer than --drain_seconds")
    return dep


def drain_seconds(args):
    for a in args:
        if a.startswith("--drain_seconds="):
            return int(a.split("=", 1)[1])
    return 0


def check_services(docs):
    services = {s["metadata"]["name"]: s for s in docs["Service"]}
    check("divcheckd" in services, "Service divcheckd")
    headless = [s for s in services.values() if s["spec"].get("clusterIP") == "None"]
    check(len(headless) == 1, "one headless Service")
    for s in services.values():
        check(s["spec"]["selector"] == {"app.kubernetes.io/name": "divcheckd"},
              f"Service {s['metadata']['name']} selector")
    hpa = docs["HorizontalPodAutoscaler"][0]["spec"]
    check(hpa["minReplicas"] >= 2 and hpa["maxReplicas"] > hpa["minReplicas"], "HPA range")
    check(hpa["scaleTargetRef"]["name"] == "divcheckd", "HPA target")
    pdb = docs["PodDisruptionBudget"][0]["spec"]
    check("minAvailable" in pdb or "maxUnavailable" in pdb, "PDB budget")


def check_containerfile(path):
    text = path.read_text(encoding="utf-8")
    froms = re.findall(r"^FROM\s+(\S+)", text, re.M)
    check(len(froms) >= 2, "Containerfile: multi-stage")
    check(all("debian:12" in f for f in froms), "Containerfile: Debian 12 stages")
    user = re.findall(r"^USER\s+(\S+)", text, re.M)
    check(user and not user[-1].startswith(("0", "root")), "Containerfile: non-root USER")
    check(re.search(r"^HEALTHCHECK ", text, re.M) is not None, "Containerfile: HEALTHCHECK")
    check("divcheckd" in (re.findall(r"^ENTRYPOINT (.*)", text, re.M) or [""])[0],
          "Containerfile: ENTRYPOINT divcheckd")
    uid = re.search(r"--uid (\d+)", text)
    return int(uid.group(1)) if uid else None


# Debian 12 slim already has these; the runtime stage need not install them.
BASE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g", "libzstd1",
                 "liblzma5", "libbz2-1.0", "libgcrypt20", "libgpg-error0",
                 "liblz4-1", "libsystemd0", "libcap2", "libselinux1",
                 "libpcre2-8-0", "libcrypt1", "libtinfo6", "libudev1"}


def check_runtime_libraries(path, binaries):
    """Every shared library the binaries link directly comes from a package
    the runtime stage installs (or the slim base has): otherwise the image
    builds but divcheckd does not start in it. Read off `ldd` and `dpkg -S`
    of this machine, which runs the same Debian 12 packages."""
    text = path.read_text(encoding="utf-8")
    runtime = text[text.rindex("FROM "):]
    listed = set(re.findall(r"\b(lib[a-z0-9.+-]+|curl)\b", runtime))
    needed = {}
    for binary in binaries:
        out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True,
                             check=False).stdout
        paths = dict(re.findall(r"^\s*(\S+) => (/\S+)", out, re.M))
        # Only the libraries the binary names itself (NEEDED): apt installs
        # what those depend on.
        dyn = subprocess.run(["objdump", "-p", str(binary)], capture_output=True,
                             text=True, check=False).stdout
        direct = re.findall(r"^\s*NEEDED\s+(\S+)", dyn, re.M)
        check(bool(direct), f"no NEEDED entries read from {binary}")
        for lib in (paths[n] for n in direct if n in paths):
            owner = subprocess.run(["dpkg", "-S", os.path.realpath(lib)],
                                   capture_output=True, text=True, check=False)
            if owner.returncode != 0:  # try the path as ldd gives it
                owner = subprocess.run(["dpkg", "-S", lib], capture_output=True,
                                       text=True, check=False)
            if owner.returncode != 0:
                continue
            pkg = owner.stdout.split(":")[0].strip()
            needed.setdefault(pkg, set()).add(os.path.basename(lib))
    if any(p in needed for p in ("libasan8", "libubsan1")):
        # A sanitizer build links other libraries than the Release build
        # the image is made of; its list says nothing about the image.
        print("runtime packages: sanitizer build, not the image's; not checked")
        return
    missing = sorted(p for p in needed if p not in listed and p not in BASE_PACKAGES)
    print("runtime packages needed:", len(needed), "missing from the image:", missing)
    check(not missing, "Containerfile runtime stage lacks " + ", ".join(
        f"{p} ({', '.join(sorted(needed[p]))})" for p in missing))


def check_unit(path):
    text = path.read_text(encoding="utf-8")
    for key in ("ExecStart=", "ExecReload=/bin/kill -HUP", "NoNewPrivileges=yes",
                "ProtectSystem=strict", "StateDirectoryMode=0700", "UMask=0077"):
        check(key in text, f"systemd unit: {key}")
    check("--listen=127.0.0.1:" in text, "systemd unit: gRPC on loopback by default")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(url, body=None):
    req = urllib.request.Request(url, data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as resp:
        return resp.status, resp.read()


def start_like_the_image(src, build, dep, docs, uid):
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="divcheck-deploy-"))
    prefix = tmp / "opt-divcheck"
    subprocess.run(["cmake", "--install", str(build), "--prefix", str(prefix)],
                   check=True, stdout=subprocess.DEVNULL)
    # The init container: bundled lexicons plus the ConfigMap's items.
    pod = dep["spec"]["template"]["spec"]
    init = pod["initContainers"][0]
    custom = tmp / "custom"
    lexicons = tmp / "lexicons"
    lexicons.mkdir()
    cm = {c["metadata"]["name"]: c for c in docs["ConfigMap"]}
    for vol in pod["volumes"]:
        if "configMap" in vol:
            data = cm[vol["configMap"]["name"]]["data"]
            for item in vol["configMap"]["items"]:
                target = custom / item["path"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(data[item["key"]], encoding="utf-8")
    script = " ".join(init["args"])
    script = (script.replace("/opt/divcheck", str(prefix))
              .replace(" /lexicons/", f" {lexicons}/")
              .replace(" /custom/", f" {custom}/"))
    subprocess.run(["/bin/sh", "-c", script], check=True)
    check((lexicons / "de" / "custom.textproto").is_file(), "init: custom file merged")
    # The Secret's config file.
    secret = docs["Secret"][0]["stringData"]
    etc = tmp / "etc"
    etc.mkdir()
    (etc / "divcheckd.conf").write_text(secret["divcheckd.conf"], encoding="utf-8")
    grpc_port, http_port, metrics_port = free_port(), free_port(), free_port()
    args = []
    for a in dep["spec"]["template"]["spec"]["containers"][0]["args"]:
        a = (a.replace("0.0.0.0:50051", f"127.0.0.1:{grpc_port}")
             .replace("0.0.0.0:8080", f"127.0.0.1:{http_port}")
             .replace("0.0.0.0:9090", f"127.0.0.1:{metrics_port}")
             .replace("/etc/divcheck", str(etc))
             .replace("--lexicons=/lexicons", f"--lexicons={lexicons}"))
        args.append(a)
    # Read-only install and config, as in the image; the process may write
    # nowhere but its temporary directory.
    subprocess.run(["chmod", "-R", "a-w,a+rX", str(prefix), str(lexicons), str(etc)],
                   check=True)
    os.chmod(tmp, 0o755)
    cmd = [str(prefix / "bin" / "divcheckd")] + args
    if os.geteuid() == 0 and uid is not None:
        cmd = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"] + cmd
    print("start:", shlex.join(cmd))
    env = {"PATH": "/usr/bin:/bin", "TMPDIR": "/tmp"}
    proc = subprocess.Popen(cmd, cwd="/", env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    return proc, http_port, tmp


def probe(proc, http_port):
    deadline = time.time() + 30
    ready = False
    while time.time() < deadline and proc.poll() is None:
        try:
            ready = http(f"http://127.0.0.1:{http_port}/readyz")[0] == 200
            if ready:
                break
        except OSError:
            time.sleep(0.2)
    check(ready, "divcheckd did not become ready as the image starts it")
    if not ready:
        return
    body = json.dumps({"text": "Wir suchen eine junge Verkäuferin.",
                       "language_code": "de"}).encode()
    status, out = http(f"http://127.0.0.1:{http_port}/v1/scan", body)
    report = json.loads(out).get("report", {})
    rules = [f.get("ruleId", f.get("rule_id")) for f in report.get("findings", [])]
    print("scan:", status, rules)
    check(status == 200 and len(rules) >= 2, "scan through the image's start-up")


def main():
    src, build = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    kdir = src / "deploy" / "kubernetes"
    docs = load_manifests(kdir)
    for kind in ("Kustomization", "Deployment", "Service", "HorizontalPodAutoscaler",
                 "PodDisruptionBudget", "ConfigMap", "Secret"):
        check(kind in docs, f"no {kind} manifest")
    if FAILURES:
        return 1
    check_kustomization(kdir, docs)
    dep = check_deployment(docs)
    check_services(docs)
    uid = check_containerfile(src / "deploy" / "Containerfile")
    check(uid == dep["spec"]["template"]["spec"]["securityContext"]["runAsUser"],
          "image user and pod runAsUser agree")
    check_unit(src / "deploy" / "divcheckd.service")
    check_runtime_libraries(src / "deploy" / "Containerfile",
                            [build / "service" / "divcheckd",
                             build / "clients" / "cli" / "divcheck"])
    proc, http_port, tmp = start_like_the_image(src, build, dep, docs, uid)
    try:
        probe(proc, http_port)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
        check(proc.returncode == 0, f"divcheckd exit status {proc.returncode} after SIGTERM")
        if FAILURES:
            print(out[-4000:])
        subprocess.run(["chmod", "-R", "u+w", str(tmp)], check=False)
        subprocess.run(["rm", "-rf", str(tmp)], check=False)
    print(f"deploy_test: {len(FAILURES)} failure(s)")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
