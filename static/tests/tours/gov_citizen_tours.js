/** @odoo-module **/
// Citizen flows of the public website, run by tests/test_browser_tours.py.

import { registry } from "@web/core/registry";

// the query code survives the page loads of the tour in the session storage
const CODE_KEY = "gov_service_center_tour_query_code";

registry.category("web_tour.tours").add("gov_consultation_ask_and_track", {
    url: "/consultation",
    steps: () => [
        {
            content: "Write the subject",
            trigger: "form.o_gov_consultation input#gov_name",
            run: "edit How to register a property",
        },
        {
            content: "Choose the department",
            trigger: "select#gov_department",
            run: "selectByLabel GscTour Housing Bureau",
        },
        {
            content: "Write the question",
            trigger: "textarea#gov_question",
            run: "edit Which documents are needed to register a flat?",
        },
        {
            trigger: "input#gov_contact_name",
            run: "edit Li Si",
        },
        {
            content: "Leave a phone number (its last four digits follow the request)",
            trigger: "input#gov_contact_phone",
            run: "edit 13812345678",
        },
        {
            content: "Send",
            trigger: "form.o_gov_consultation button[type=submit]",
            run: "click",
        },
        {
            content: "The query code is shown: keep it",
            trigger: ".o_gov_query_code:not(:empty)",
            run() {
                window.sessionStorage.setItem(CODE_KEY, this.anchor.textContent.trim());
            },
        },
        {
            content: "Open the follow-up page",
            trigger: ".o_gov_query_code",
            run: "goToUrl /consultation/track",
        },
        {
            content: "Type the query code",
            trigger: "input#gov_code",
            async run(helpers) {
                await helpers.edit(window.sessionStorage.getItem(CODE_KEY));
            },
        },
        {
            content: "Type the last four digits of the phone number",
            trigger: "input#gov_verifier",
            run: "edit 5678",
        },
        {
            trigger: "form:has(#gov_code) button[type=submit]",
            run: "click",
        },
        {
            content: "The request is found, still waiting for its answer",
            trigger: ".o_gov_track_result:contains(How to register a property)",
            run() {
                window.sessionStorage.removeItem(CODE_KEY);
            },
        },
    ],
});

// started on the QR link of a ticket (the test gives it)
registry.category("web_tour.tours").add("gov_service_rating_from_ticket", {
    steps: () => [
        {
            content: "The window that served the ticket is named",
            trigger: ".o_gov_service_rating:contains(GscTour Window)",
        },
        {
            content: "Choose the best level",
            trigger: "input.o_gov_rating_level[value='5']",
            run: "click",
        },
        {
            content: "An indicator of a good service appears: tick it",
            trigger: ".o_gov_rating_indicator:not(.d-none) input[type=checkbox]",
            run: "click",
        },
        {
            trigger: "textarea#gov_rating_comment",
            run: "edit Quick and friendly.",
        },
        {
            trigger: "form.o_gov_service_rating_form button[type=submit]",
            run: "click",
        },
        {
            content: "The rating is recorded",
            trigger: ".o_gov_service_rating_thanks",
        },
    ],
});
