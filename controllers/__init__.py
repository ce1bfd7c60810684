# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from . import main
from . import attendance
from . import hall
