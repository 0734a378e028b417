"""The web tier's ceiling for bench/sparql.py: a Flask app that answers GET /sparql with a
constant SPARQL JSON result (a point lookup's size), served by granian exactly as `lod serve
--workers N` serves lod (N processes, --threads threads each). No Flask endpoint can answer
faster than this under that server on the machine; lod's endpoint does the same HTTP and Flask
work plus the query.

Run by bench/sparql.py as ``granian --interface wsgi ... ceiling_app:app`` (cwd bench/)."""

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
