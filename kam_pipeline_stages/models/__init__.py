from . import res_company
from . import res_config_settings
from . import crm_stage
from . import kam_stage_checklist_template
from . import kam_lead_checklist_line
from . import kam_stage_history
from . import crm_lead
from . import kam_cockpit_panels
