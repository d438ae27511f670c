"""Detectors, one package per checklist domain, one module per problem."""
