"""The SHACL namespace and the constraint components this package knows."""

from rdflib import Namespace

SH = Namespace("http://www.w3.org/ns/shacl#")
RDFS_CLASS = "http://www.w3.org/2000/01/rdf-schema#Class"

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# shape-valued parameters (walked to find every shape a shape refers to)
SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
SHAPE_VALUES = (SH.node, SH["not"], SH.property, SH.qualifiedValueShape)
# parameters whose presence makes a shape unsupported here (pySHACL validates it)
UNSUPPORTED = (SH.sparql, SH.target, SH.rule, SH.condition, SH.expression)


def component(name: str):
    return SH[f"{name}ConstraintComponent"]
