from . import base_partner_merge_automatic_wizard
from . import kam_coverage_rating
