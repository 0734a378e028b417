"""The web tier's ceiling for bench/sparql.py: a Flask app that answers GET /sparql with a
constant SPARQL JSON result (a point lookup's size), served by gunicorn exactly as `lod serve
--workers N` serves lod (gthread workers). No Python web server with Flask can answer faster
than this on the machine; lod's endpoint does the same HTTP and Flask work plus the query.

Run by bench/sparql.py as ``gunicorn -k gthread ... ceiling_app:app`` (cwd bench/)."""

from flask import Flask, Response

app = Flask(__name__)
BODY = (
    b'{"head":{"vars":["p","o"]},"results":{"bindings":['
    + b",".join(
        b'{"p":{"type":"uri","value":"https://data.example.cz/datasets/x/columns/c%d"},'
        b'"o":{"type":"literal","value":"%d"}}' % (i, i)
        for i in range(5)
    )
    + b"]}}"
)


@app.get("/sparql")
def sparql() -> Response:
    return Response(BODY, mimetype="application/sparql-results+json")
