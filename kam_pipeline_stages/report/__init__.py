from . import kam_pipeline_ratio_report
