/** @odoo-module **/
// Back-office flows of the clerks, run by tests/test_browser_tours.py.

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("gov_consultation_answer", {
    steps: () => [
        {
            content: "The consultation is open",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_answer]",
        },
        {
            content: "Open the Answer tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name=answer]",
            run: "click",
        },
        {
            content: "Write the answer",
            trigger: ".o_form_view .o_field_widget[name=answer] textarea",
            run: "edit Bring your identity card and the vehicle licence to window 3.",
        },
        {
            content: "Send it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_answer]",
            run: "click",
        },
        {
            content: "The consultation is answered",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=answered]",
        },
    ],
});

registry.category("web_tour.tours").add("gov_approval_item_decision", {
    steps: () => [
        {
            content: "Suspend the active item: the decision wizard opens",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_suspend]",
            run: "click",
        },
        {
            content: "Type the number of the decision",
            trigger: ".modal .o_field_widget[name=decision_ref] input",
            run: "edit GscTour Decision No. 7 of 2026",
        },
        {
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Suspended while the law is revised.",
        },
        {
            content: "Record the decision",
            trigger: ".modal footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The wizard closes and the item is suspended",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=suspended]",
        },
    ],
});
