from . import test_digest
