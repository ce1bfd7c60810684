from . import gov_approval_item_change_wizard
from . import gov_precondition_remove_wizard
from . import gov_points_compute_wizard
from . import gov_intermediary_publish_wizard
from . import gov_intermediary_evaluation_import
from . import gov_attendance_import_wizard
from . import gov_attendance_evaluate_wizard
from . import gov_queue_transfer_wizard
