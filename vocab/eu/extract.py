"""Extract the labels lod needs from the EU authority tables (run from the repository root).

    python vocab/eu/extract.py ../shared/reference/eu-vocabularies > vocab/eu/labels.ttl

Keeps, for every concept of the data-theme, frequency and file-type tables: its type, scheme,
notation and the Czech and English preferred labels.
"""

import sys
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, SKOS

TABLES = ("data-theme.ttl", "frequencies.ttl", "filetypes.ttl")

source = Path(sys.argv[1])
out = rdflib.Graph()
out.bind("skos", SKOS)
for name in TABLES:
    g = rdflib.Graph().parse(source / name)
    for concept in g.subjects(RDF.type, SKOS.Concept):
        out.add((concept, RDF.type, SKOS.Concept))
        for scheme in g.objects(concept, SKOS.inScheme):
            out.add((concept, SKOS.inScheme, scheme))
        code = str(concept).rsplit("/", 1)[-1]
        out.add((concept, SKOS.notation, rdflib.Literal(code)))
        for label in g.objects(concept, SKOS.prefLabel):
            if getattr(label, "language", None) in ("cs", "en"):
                out.add((concept, SKOS.prefLabel, label))
sys.stdout.write(out.serialize(format="turtle"))
