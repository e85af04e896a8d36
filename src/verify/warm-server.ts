// The Python side of a warm pytest (see warm-pytest.ts): one interpreter that imports pytest and its built-in
// plugins once, then forks a child per test run. A child is what `python -m pytest ARGS` (or the `pytest` script)
// would be after its first import: it takes the run's directory, environment, argv and sys.path[0], reseeds
// `random`, gets /dev/null as stdin and a file as stdout and stderr, and runs pytest's __main__ as the
// interpreter would. Nothing of the project is imported before the fork: the server imports with its directory
// off sys.path, says which modules it loaded (the runner does not use a server that loaded any from the repository,
// through a .pth file say), and refuses a run whose directory shadows one of them.
//
// Protocol, one JSON object per line: the server says {"ready": true, "version"} (or
// {"ready": false, "error"}, and ends); the runner sends {"id", "argv", "cwd", "env", "out", "script"?, "root"},
// at once (requests wait in the pipe while it imports); the server answers
// {"id", "pid"} when the child is forked and {"pid", "code"} when it ended (code: the shell's convention, 128 + n
// for a signal), or {"id", "pid": -1, "shadowed": [names]} when the server loaded a module from the repository `root`, or
// the run's first sys.path directory holds a module of the name of one it imported (a cold run would import
// the project's: the run goes cold). End of stdin ends the server; its children run on (the runner kills their process groups).
export const WARM_SERVER_SOURCE = String.raw`
import os, sys, json, select, signal
def send(message):
    data = (json.dumps(message) + "\n").encode()
    while data:
        data = data[os.write(1, data):]
rest = sys.path[1:] if sys.path[:1] == [""] else sys.path[:]
sys.path[:] = rest
try:
    import importlib, runpy, pytest
    from importlib.machinery import PathFinder
    from _pytest.config import default_plugins
    for name in default_plugins:
        try:
            importlib.import_module("_pytest." + name)
        except Exception:
            pass
except BaseException as error:
    send({"ready": False, "error": repr(error)})
    sys.exit(0)
loaded = sorted({os.path.abspath(f) for f in (getattr(m, "__file__", None) for m in list(sys.modules.values())) if isinstance(f, str)})
send({"ready": True, "version": pytest.__version__})
wake_r, wake_w = os.pipe()
os.set_blocking(wake_r, False)
os.set_blocking(wake_w, False)
signal.set_wakeup_fd(wake_w)
signal.signal(signal.SIGCHLD, lambda *_: None)

def shadowed(directory):
    # a cold run puts its directory first on sys.path, so a module or package there of the name of one the server
    # imported would be the one a cold run imports: such a run must be cold
    names = {name.partition(".")[0] for name in list(sys.modules)} - set(sys.builtin_module_names) - {"__main__"}
    found = []
    for name in sorted(names):
        try:
            spec = PathFinder.find_spec(name, [directory])
        except Exception:
            spec = None
        if spec is not None and spec.origin is not None:
            found.append(name)
    return found

def from_the_project(root):
    # a module loaded from the repository itself (through a .pth file, say), not from a virtual environment in it
    root = os.path.abspath(root)
    inside = [os.path.relpath(f, root) for f in loaded if os.path.commonpath([root, f]) == root]
    return [f for f in inside if not any(part in ("site-packages", "dist-packages") for part in f.split(os.sep))]

def first_path(request):
    script = request.get("script")
    if script:
        return os.path.dirname(os.path.realpath(script))
    return None if sys.flags.safe_path else request["cwd"]

def child(request):
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.close(wake_r)
    os.close(wake_w)
    os.setsid()
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    out = os.open(request["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(out)
    sys.stdin = open(os.devnull)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    if "random" in sys.modules:
        sys.modules["random"].seed()
    script = request.get("script")
    if script:
        sys.argv = [script, *request["argv"]]
        sys.path[:] = [first_path(request), *rest]
        runpy.run_path(script, run_name="__main__")
    else:
        sys.argv = ["-m", *request["argv"]]
        sys.path[:] = ([] if sys.flags.safe_path else [os.getcwd()]) + rest
        runpy.run_module("pytest", run_name="__main__", alter_sys=True)

pending = b""
while True:
    readable, _, _ = select.select([0, wake_r], [], [])
    if wake_r in readable:
        try:
            os.read(wake_r, 4096)
        except BlockingIOError:
            pass
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            code = os.waitstatus_to_exitcode(status)
            send({"pid": pid, "code": code if code >= 0 else 128 - code})
    if 0 in readable:
        data = os.read(0, 1 << 16)
        if not data:
            sys.exit(0)
        pending += data
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            request = json.loads(line)
            directory = first_path(request)
            refused = from_the_project(request["root"]) or (shadowed(directory) if directory is not None else [])
            if refused:
                send({"id": request["id"], "pid": -1, "shadowed": refused})
                continue
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                child(request)
                sys.exit(0)
            send({"id": request["id"], "pid": pid})
`
