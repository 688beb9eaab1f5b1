"""Built-in problem families: one module per family, each registered with `@family`.

Every module in this folder is imported on first use of the registry, so adding a
family is adding one file here.
"""
