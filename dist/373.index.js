export const id = 373;
export const ids = [373];
export const modules = {

/***/ 25373:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  actionsCacheStore: () => (/* binding */ actionsCacheStore)
});

// EXTERNAL MODULE: ./node_modules/@actions/cache/lib/cache.js + 17 modules
var cache = __webpack_require__(3186);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
;// CONCATENATED MODULE: ./src/model/actions-cache.ts
// Carries the response cache from run to run through the GitHub Actions cache. Best-effort on every path:
// a cache that cannot be read or written costs model calls, never the run.



/** Remembers what was restored, so an unchanged cache is not saved again under a new key. Not an entry. */
const RESTORED_MARKER = '.restored-content-hash';
const ENTRY_NAME = /\.json$/;
/** The limits @actions/cache puts on keys; past them it throws instead of warning. */
const MAX_KEY_LENGTH = 512;
/** Best-effort, never throws: logs a warning and returns false on any trouble. Restores the newest entry
 *  under `keyPrefix` (restore keys by prefix). */
async function restoreResponseCache(service, dir, keyPrefix, log) {
    try {
        if (!service.isFeatureAvailable()) {
            log.info('The GitHub Actions cache is not available here; model answers start from an empty cache.');
            return false;
        }
        const matchedKey = await service.restoreCache([dir], keyPrefix, [keyPrefix]);
        if (matchedKey === undefined) {
            log.info(`No cached model answers under '${keyPrefix}' yet.`);
            return false;
        }
        const hash = contentHash(dir);
        if (hash === undefined) {
            log.warning(`The cache entry '${matchedKey}' held no model answers; continuing without them.`);
            return false;
        }
        (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(dir, RESTORED_MARKER), hash);
        log.info(`Restored ${entryNames(dir).length} cached model answer(s) from '${matchedKey}'.`);
        return true;
    }
    catch (error) {
        log.warning(`Could not restore cached model answers: ${messageOf(error)}. Continuing without them.`);
        return false;
    }
}
/** Saves `dir` under key `${keyPrefix}${contentHash}-${runId}-${runAttempt}` (keys are immutable: hash + run id);
 *  skips when the dir is empty or unchanged since restore; never throws. Keys must be valid (no commas, ≤512). */
async function saveResponseCache(service, dir, keyPrefix, runId, runAttempt, log) {
    try {
        const hash = contentHash(dir);
        if (hash === undefined) {
            log.debug('No model answers to cache.');
            return;
        }
        if (readMarker(dir) === hash) {
            log.info('Cached model answers are unchanged since restore; not saving them again.');
            return;
        }
        if (!service.isFeatureAvailable()) {
            log.info('The GitHub Actions cache is not available here; model answers are not saved for the next run.');
            return;
        }
        const key = `${keyPrefix}${hash}-${runId}-${runAttempt}`;
        if (key.includes(',') || key.length > MAX_KEY_LENGTH) {
            log.warning(`Not saving model answers: cache key '${key}' has a comma or is longer than ${MAX_KEY_LENGTH} characters.`);
            return;
        }
        const id = await service.saveCache([dir], key);
        // @actions/cache reports its own trouble (and returns -1) instead of throwing.
        if (id === -1)
            log.info(`Model answers were not saved to the cache under '${key}' (see the message above).`);
        else
            log.info(`Saved ${entryNames(dir).length} model answer(s) to the cache as '${key}'.`);
    }
    catch (error) {
        log.warning(`Could not save model answers to the cache: ${messageOf(error)}.`);
    }
}
/** A short hash of the entries (names and contents); undefined when there are none. */
function contentHash(dir) {
    const names = entryNames(dir);
    if (names.length === 0)
        return undefined;
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for (const name of names) {
        hash.update(`${name}\0`);
        hash.update((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, name)));
        hash.update('\0');
    }
    return hash.digest('hex').slice(0, 16);
}
function entryNames(dir) {
    try {
        return (0,external_node_fs_.readdirSync)(dir)
            .filter(name => ENTRY_NAME.test(name) && !name.startsWith('.'))
            .sort();
    }
    catch {
        return [];
    }
}
function readMarker(dir) {
    try {
        return (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, RESTORED_MARKER), 'utf8').trim();
    }
    catch {
        return undefined;
    }
}
function messageOf(error) {
    return error instanceof Error ? error.message : String(error);
}

;// CONCATENATED MODULE: ./src/action/cache-store.ts
// The engine's cache store in the action: the GitHub Actions cache, keyed per run so entries stay immutable.



function actionsCacheStore(context, log) {
    const service = {
        isFeatureAvailable: cache/* isFeatureAvailable */.w3,
        restoreCache: (paths, primaryKey, restoreKeys) => fromParent(paths, () => cache/* restoreCache */.P3(paths, primaryKey, restoreKeys)),
        saveCache: (paths, key) => fromParent(paths, () => cache/* saveCache */.Io(paths, key))
    };
    return {
        restore: async (dir, keyPrefix) => {
            await restoreResponseCache(service, dir, keyPrefix, log);
        },
        save: (dir, keyPrefix) => saveResponseCache(service, dir, keyPrefix, context.runId || 'local', context.runAttempt, log)
    };
}
/**
 * @actions/cache archives paths relative to GITHUB_WORKSPACE and hashes them into the entry's version, so an
 * answer saved from /home/runner/work/repo/repo would not be found (or be unpacked elsewhere) from a checkout at
 * another path. The cache dir lives in RUNNER_TEMP, outside the checkout: the archive is made relative to the
 * dir's parent instead, the same on every runner.
 */
async function fromParent(paths, call) {
    const previous = process.env.GITHUB_WORKSPACE;
    process.env.GITHUB_WORKSPACE = external_node_path_.dirname(external_node_path_.resolve(paths[0]));
    try {
        return await call();
    }
    finally {
        if (previous === undefined)
            delete process.env.GITHUB_WORKSPACE;
        else
            process.env.GITHUB_WORKSPACE = previous;
    }
}


/***/ })

};
