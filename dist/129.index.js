export const id = 129;
export const ids = [129];
export const modules = {

/***/ 34129:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   reportArtifactName: () => (/* binding */ reportArtifactName),
/* harmony export */   uploadReportArtifact: () => (/* binding */ uploadReportArtifact)
/* harmony export */ });
/* harmony import */ var _actions_artifact__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(60683);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
// The report outlives the job: uploaded as a workflow artifact, best-effort. A failed upload is a warning, never
// the step's failure: the run's outcome is in the outputs and the summary either way.


/** The artifact's name: one per job and attempt, so re-runs and other jobs of the run do not collide. */
function reportArtifactName(env) {
    const job = (env.GITHUB_JOB ?? '').replace(/[^A-Za-z0-9._-]+/g, '-') || 'job';
    return `pytest-fixer-report-${job}-${env.GITHUB_RUN_ATTEMPT || '1'}`;
}
async function uploadReportArtifact(reportPath, env, log) {
    if (!env.ACTIONS_RUNTIME_TOKEN || !env.ACTIONS_RESULTS_URL) {
        log.info(`Not in a GitHub Actions job (no artifact service): the report stays at ${reportPath}.`);
        return;
    }
    const name = reportArtifactName(env);
    try {
        const uploaded = await new _actions_artifact__WEBPACK_IMPORTED_MODULE_0__/* .DefaultArtifactClient */ .t9().uploadArtifact(name, [reportPath], node_path__WEBPACK_IMPORTED_MODULE_1__.dirname(reportPath));
        log.info(`Uploaded the report as the artifact '${name}' (${uploaded.size ?? 0} bytes).`);
    }
    catch (error) {
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        log.warning(`Could not upload the report as the artifact '${name}': ${message}. It is still at ${reportPath} until the job ends.`);
    }
}


/***/ })

};
