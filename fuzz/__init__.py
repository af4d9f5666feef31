"""A differential fuzzer: generated kustomization trees built by kgen and by kubectl kustomize.

``fuzz.yamltext`` writes YAML text in randomly chosen (valid) styles, ``fuzz.trees`` generates
whole trees (``make_tree(seed)``), ``fuzz.difftree`` builds them with both tools and compares
(``python -m fuzz.difftree --seed S --count N --seconds T``). ``tests/test_fuzz.py`` runs a short
seeded slice in the test suite.
"""
