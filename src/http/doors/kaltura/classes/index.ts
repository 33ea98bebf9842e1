/** Registers every class this door speaks (import for side effects, once). */
import './common.js';
import './session.js';
import './user.js';
import './role.js';
import './partner.js';
import './app-token.js';
import './access-control.js';
import './entry.js';
import './metadata.js';
import './category.js';
import './access-control-legacy.js';
import './absent-features.js';
import './esearch.js';
