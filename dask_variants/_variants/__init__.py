"""Building the variant classes: the layer between the namespaces and the mixins.

``_namespace`` (a namespace's lazy ``__getattr__``) asks ``_factory`` for the one class
combining a kind mixin with a scikit-learn class, listed in ``_catalog``; the class's
members are synthesised by ``_synthesis`` when ``_protocol``'s variant root sees it
created. Nothing here imports a mixin: the namespace names its kind mixin by a string.
"""
