"""A throw-away Virtuoso (Debian's virtuoso-opensource) on loopback, for the store-facing tests.

``Virtuoso(directory).start()`` writes a complete ``virtuoso.ini`` into an empty directory,
binds both listeners (SQL and HTTP) to 127.0.0.1 on free ports, runs ``virtuoso-t
+foreground`` in its own session, waits until the instance's own log says it is online and
``/sparql`` answers, and creates the SPARQL user the tests publish as (digest auth on
``/sparql-auth`` and ``/sparql-graph-crud-auth``). ``stop()`` ends that process (SIGTERM, then
SIGKILL); nothing else is touched. The notes behind the settings: ../../shared/notes/virtuoso.md.

Run by hand: ``python -m tests.virtuoso DIR`` starts one and prints its settings until Ctrl-C.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest
import requests

USER = "lod"
PASSWORD = "lod-test-secret"
INSTALL_HINT = (
    "install Debian's Virtuoso: DEBIAN_FRONTEND=noninteractive apt-get install -y "
    "--no-install-recommends virtuoso-opensource (or give a running one: LOD_TEST_VIRTUOSO=URL)"
)

INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 20
TransactionAfterImageLimit = 1000000000
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
CheckpointAuditTrail     = 0
AllowOSCalls             = 0
SchedulerInterval        = 10
DirsAllowed              = ., {dir}
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxQueryMem              = 1G
VectorSize               = 1000
MaxVectorSize            = 1000000
AdjustVectorSize         = 0
ThreadsPerQuery          = 1
AsyncQueueMaxThreads     = 10
NumberOfBuffers          = 30000
MaxDirtyBuffers          = 22000

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {dir}/vsp
MaxClientConnections        = 20
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
ServerThreads               = 20
MaxKeepAlives               = 20
KeepAliveTimeout            = 10
MaxCachedProxyConnections   = 10
ProxyConnectionCacheTimeout = 15
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[AutoRepair]
BadParentLinks = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[VDB]
ArrayOptimization           = 0
NumArrayParameters          = 10
VDBDisconnectTimeout        = 1000
KeepConnectionOnFixedThread = 0

[Replication]
ServerName   = lodtest
ServerEnable = 0

[Zero Config]
ServerName = lodtest

[URIQA]
DynamicLocal = 0
DefaultHost  = 127.0.0.1:{http_port}

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 120
DeferInferenceRulesInit    = 0
"""

# The test user: may update through the authenticated endpoints (digest), nothing else.
SETUP_SQL = f"""
DB.DBA.USER_CREATE ('{USER}', '{PASSWORD}');
GRANT SPARQL_SELECT TO "{USER}";
GRANT SPARQL_UPDATE TO "{USER}";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('{USER}', 3);
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 1);
"""


def _own_session_ending_with_parent() -> None:
    """In the child: a session of its own, and SIGTERM when the test process dies (Linux), so
    a killed test run leaves no server behind."""
    os.setsid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binaries() -> tuple[str, str]:
    """The server and SQL client of the Debian package; RuntimeError if missing."""
    server, client = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not server or not client:
        raise RuntimeError(f"virtuoso-t or isql-vt not found on PATH: {INSTALL_HINT}")
    return server, client


class Virtuoso:
    def __init__(self, directory: Path, *, max_rows: int = 1_000_000):
        self.directory = Path(directory)
        self.max_rows = max_rows
        self.sql_port = 0
        self.http_port = 0
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def settings_env(self) -> dict[str, str]:
        """The LOD_* settings of a store on this instance, as the tests' user."""
        return {
            "LOD_STORE": self.base + "/sparql",
            "LOD_STORE_UPDATE": self.base + "/sparql-auth",
            "LOD_STORE_GSP": self.base + "/sparql-graph-crud-auth",
            "LOD_STORE_USER": USER,
            "LOD_STORE_PASSWORD": PASSWORD,
            "LOD_STORE_AUTH": "digest",
            "LOD_STORE_KIND": "virtuoso",
        }

    def start(self, timeout: float = 90) -> Virtuoso:
        server, _ = binaries()
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "vsp").mkdir(exist_ok=True)
        self.sql_port, self.http_port = free_port(), free_port()
        while self.http_port == self.sql_port:
            self.http_port = free_port()
        ini = self.directory / "virtuoso.ini"
        ini.write_text(
            INI.format(
                dir=self.directory,
                sql_port=self.sql_port,
                http_port=self.http_port,
                max_rows=self.max_rows,
            )
        )
        log = open(self.directory / "stdout.log", "wb")
        self.process = subprocess.Popen(
            [server, "+foreground", "+configfile", str(ini)],
            cwd=self.directory,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_own_session_ending_with_parent,
        )
        log.close()
        try:
            self._wait(timeout)
            self.isql(SETUP_SQL)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        logfile = self.directory / "virtuoso.log"
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"virtuoso-t exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            if logfile.exists() and "Server online at" in logfile.read_text(errors="replace"):
                try:
                    answer = requests.get(
                        self.base + "/sparql", params={"query": "ASK {}"}, timeout=5
                    )
                    if answer.status_code == 200:
                        return
                except requests.RequestException:
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"Virtuoso did not come online in {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 20) -> str:
        texts = []
        for name in ("virtuoso.log", "stdout.log"):
            path = self.directory / name
            if path.exists():
                texts += path.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join(texts)

    def isql(self, sql: str) -> str:
        """Run SQL statements as dba through isql-vt; RuntimeError on an error."""
        _, client = binaries()
        result = subprocess.run(
            [client, f"127.0.0.1:{self.sql_port}", "dba", "dba", "VERBOSE=OFF", "PROMPT=OFF"],
            input=sql + "\nexit;\n",
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0 or "*** Error" in result.stdout + result.stderr:
            raise RuntimeError(f"isql-vt failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def stop(self) -> None:
        process, self.process = self.process, None
        stop_group(process)


# ------------------------------------------------------------------ pytest: one suite, two stores
# tests/conftest.py imports these. The store-facing modules below run each test that uses the
# `store` fixture (directly or through `app`, `client`, ...) once per store kind, unless it is
# marked ``@pytest.mark.embedded_only``; every other test keeps the embedded store. LOD_TEST_STORES=embedded,virtuoso (default) chooses the
# kinds; LOD_TEST_VIRTUOSO=http://user:password@host:port uses a running Virtuoso instead of
# starting one (a scratch instance: the tests drop its graphs).

STORE_FACING = {
    "test_store.py",
    "test_ingest.py",
    "test_web.py",
    "test_streaming.py",
    "test_remote_store.py",
    "test_demo.py",
}
# read at import: the tests' own fixture removes LOD_* variables from the environment
STORE_KINDS = [k.strip() for k in os.environ.get("LOD_TEST_STORES", "embedded,virtuoso").split(",")]
GIVEN = os.environ.get("LOD_TEST_VIRTUOSO", "")


def pytest_generate_tests(metafunc):
    if (
        Path(str(metafunc.module.__file__)).name in STORE_FACING
        and "store" in metafunc.fixturenames
        and metafunc.definition.get_closest_marker("embedded_only") is None
    ):
        metafunc.parametrize("store_kind", [k for k in STORE_KINDS if k])


@pytest.fixture
def store_kind() -> str:
    """The kind of store of a test that is not parametrized: the embedded one."""
    return "embedded"


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """The LOD_* settings of a Virtuoso for the tests: LOD_TEST_VIRTUOSO, else one started in a
    temporary directory for the session (an error, not a skip, if it cannot be started)."""
    if GIVEN:
        parts = urllib.parse.urlsplit(GIVEN)
        base = f"{parts.scheme}://{parts.hostname}:{parts.port or 80}"
        env = {
            "LOD_STORE": base + "/sparql",
            "LOD_STORE_UPDATE": base + "/sparql-auth",
            "LOD_STORE_GSP": base + "/sparql-graph-crud-auth",
            "LOD_STORE_USER": urllib.parse.unquote(parts.username or "dba"),
            "LOD_STORE_PASSWORD": urllib.parse.unquote(parts.password or "dba"),
            "LOD_STORE_AUTH": "digest",
            "LOD_STORE_KIND": "virtuoso",
        }
        yield env
        return
    instance = Virtuoso(tmp_path_factory.mktemp("virtuoso"), max_rows=TEST_MAX_ROWS).start()
    try:
        yield instance.settings_env()
    finally:
        instance.stop()


TEST_MAX_ROWS = 10_000  # Debian's default ResultSetMaxRows: dumps must page past it


@pytest.fixture(name="settings")
def settings_of_store_kind(tmp_path, store_kind, request):
    """Settings of an isolated LOD_HOME (and, for Virtuoso, an emptied store on it). It
    replaces conftest's ``settings`` (registered after it, under the same name) and is the
    same for the embedded store."""
    from lod.settings import load_settings

    from .conftest import BASE

    env = {"LOD_HOME": str(tmp_path / "home"), "LOD_BASE_URL": BASE}
    if store_kind == "virtuoso":
        env.update(request.getfixturevalue("virtuoso"))
    elif store_kind != "embedded":
        raise ValueError(f"LOD_TEST_STORES: unknown store kind {store_kind!r}")
    settings = load_settings(env=env, config_file=tmp_path / "none.toml")
    if store_kind == "virtuoso":
        empty(settings)
    return settings


def empty(settings) -> None:
    """Drop every graph but Virtuoso's own."""
    from lod.store.remote import RemoteStore

    store = RemoteStore(settings)
    try:
        graphs = [g for g in store._graphs() if not store.server.is_system_graph(g)]
        if graphs:
            store.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
    finally:
        store.close()


if __name__ == "__main__":  # pragma: no cover - a developer's tool
    import sys

    instance = Virtuoso(Path(sys.argv[1])).start()
    for name, value in instance.settings_env().items():
        print(f"export {name}={value}")
    print(f"# isql-vt 127.0.0.1:{instance.sql_port} dba dba", flush=True)
    try:
        instance.process.wait()  # type: ignore[union-attr]
    except KeyboardInterrupt:
        instance.stop()


def stop_group(process: subprocess.Popen | None) -> None:
    """End a server started in its own process group: SIGTERM, then SIGKILL after 15 s."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)
