/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["stv3_mpc_wire"] || ($protobuf.roots["stv3_mpc_wire"] = {});

export const stv3 = $root.stv3 = (() => {

    /**
     * Namespace stv3.
     * @exports stv3
     * @namespace
     */
    const stv3 = {};

    stv3.mpc = (function() {

        /**
         * Namespace mpc.
         * @memberof stv3
         * @namespace
         */
        const mpc = {};

        mpc.v1 = (function() {

            /**
             * Namespace v1.
             * @memberof stv3.mpc
             * @namespace
             */
            const v1 = {};

            /**
             * Protocol enum.
             * @name stv3.mpc.v1.Protocol
             * @enum {number}
             * @property {number} PROTOCOL_UNSPECIFIED=0 PROTOCOL_UNSPECIFIED value
             * @property {number} PROTOCOL_DKG=1 PROTOCOL_DKG value
             * @property {number} PROTOCOL_SIGN=2 PROTOCOL_SIGN value
             * @property {number} PROTOCOL_REFRESH=3 PROTOCOL_REFRESH value
             * @property {number} PROTOCOL_RESHARE=4 PROTOCOL_RESHARE value
             * @property {number} PROTOCOL_CONTROL=5 PROTOCOL_CONTROL value
             */
            v1.Protocol = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "PROTOCOL_UNSPECIFIED"] = 0;
                values[valuesById[1] = "PROTOCOL_DKG"] = 1;
                values[valuesById[2] = "PROTOCOL_SIGN"] = 2;
                values[valuesById[3] = "PROTOCOL_REFRESH"] = 3;
                values[valuesById[4] = "PROTOCOL_RESHARE"] = 4;
                values[valuesById[5] = "PROTOCOL_CONTROL"] = 5;
                return values;
            })();

            /**
             * Delivery enum.
             * @name stv3.mpc.v1.Delivery
             * @enum {number}
             * @property {number} DELIVERY_UNSPECIFIED=0 DELIVERY_UNSPECIFIED value
             * @property {number} DELIVERY_BROADCAST=1 DELIVERY_BROADCAST value
             * @property {number} DELIVERY_DIRECT=2 DELIVERY_DIRECT value
             */
            v1.Delivery = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "DELIVERY_UNSPECIFIED"] = 0;
                values[valuesById[1] = "DELIVERY_BROADCAST"] = 1;
                values[valuesById[2] = "DELIVERY_DIRECT"] = 2;
                return values;
            })();

            v1.Envelope = (function() {

                /**
                 * Properties of an Envelope.
                 * @typedef {Object} stv3.mpc.v1.Envelope.$Properties
                 * @property {number|null} [version] Envelope version
                 * @property {stv3.mpc.v1.Protocol|null} [protocol] Envelope protocol
                 * @property {Uint8Array|null} [keyId] Envelope keyId
                 * @property {Uint8Array|null} [sessionId] Envelope sessionId
                 * @property {number|null} [round] Envelope round
                 * @property {number|null} [sender] Envelope sender
                 * @property {number|null} [to] Envelope to
                 * @property {stv3.mpc.v1.Delivery|null} [kind] Envelope kind
                 * @property {Uint8Array|null} [payload] Envelope payload
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Envelope.
                 * @memberof stv3.mpc.v1
                 * @interface IEnvelope
                 * @augments stv3.mpc.v1.Envelope.$Properties
                 * @deprecated Use stv3.mpc.v1.Envelope.$Properties instead.
                 */

                /**
                 * Shape of an Envelope.
                 * @typedef {stv3.mpc.v1.Envelope.$Properties} stv3.mpc.v1.Envelope.$Shape
                 */

                /**
                 * Constructs a new Envelope.
                 * @memberof stv3.mpc.v1
                 * @classdesc Represents an Envelope.
                 * @constructor
                 * @param {stv3.mpc.v1.Envelope.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Envelope = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Envelope version.
                 * @member {number} version
                 * @memberof stv3.mpc.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.version = 0;

                /**
                 * Envelope protocol.
                 * @member {stv3.mpc.v1.Protocol} protocol
                 * @memberof stv3.mpc.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.protocol = 0;

                /**
                 * Envelope keyId.
                 * @member {Uint8Array} keyId
                 * @memberof stv3.mpc.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.keyId = $util.newBuffer([]);

                /**
                 * Envelope sessionId.
                 * @member {Uint8Array} sessionId
                 * @memberof stv3.mpc.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.sessionId = $util.newBuffer([]);

                /**
                 * Envelope round.
                 * @member {number} round
                 * @memberof stv3.mpc.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.round = 0;

                /**
                 * Envelope sender.
                 * @member {number} sender
                 * @memberof stv3.mpc.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.sender = 0;

                /**
                 * Envelope to.
                 * @member {number} to
                 * @memberof stv3.mpc.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.to = 0;

                /**
                 * Envelope kind.
                 * @member {stv3.mpc.v1.Delivery} kind
                 * @memberof stv3.mpc.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.kind = 0;

                /**
                 * Envelope payload.
                 * @member {Uint8Array} payload
                 * @memberof stv3.mpc.v1.Envelope
                 * @instance
                 */
                Envelope.prototype.payload = $util.newBuffer([]);

                /**
                 * Encodes the specified Envelope message. Does not implicitly {@link stv3.mpc.v1.Envelope.verify|verify} messages.
                 * @function encode
                 * @memberof stv3.mpc.v1.Envelope
                 * @static
                 * @param {stv3.mpc.v1.Envelope.$Properties} message Envelope message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Envelope.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.version != null && $Object.hasOwnProperty.call(message, "version") && message.version !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.version);
                    if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol") && message.protocol !== 0)
                        writer.uint32(/* id 2, wireType 0 =*/16).int32(message.protocol);
                    if (message.keyId != null && $Object.hasOwnProperty.call(message, "keyId") && message.keyId.length)
                        writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.keyId);
                    if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId") && message.sessionId.length)
                        writer.uint32(/* id 4, wireType 2 =*/34).bytes(message.sessionId);
                    if (message.round != null && $Object.hasOwnProperty.call(message, "round") && message.round !== 0)
                        writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.round);
                    if (message.sender != null && $Object.hasOwnProperty.call(message, "sender") && message.sender !== 0)
                        writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.sender);
                    if (message.to != null && $Object.hasOwnProperty.call(message, "to") && message.to !== 0)
                        writer.uint32(/* id 7, wireType 0 =*/56).uint32(message.to);
                    if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== 0)
                        writer.uint32(/* id 8, wireType 0 =*/64).int32(message.kind);
                    if (message.payload != null && $Object.hasOwnProperty.call(message, "payload") && message.payload.length)
                        writer.uint32(/* id 9, wireType 2 =*/74).bytes(message.payload);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes an Envelope message from the specified reader or buffer.
                 * @function decode
                 * @memberof stv3.mpc.v1.Envelope
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {stv3.mpc.v1.Envelope & stv3.mpc.v1.Envelope.$Shape} Envelope
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Envelope.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.stv3.mpc.v1.Envelope();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.version = value;
                                else
                                    delete message.version;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.protocol = value;
                                else
                                    delete message.protocol;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.keyId = value;
                                else
                                    delete message.keyId;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.sessionId = value;
                                else
                                    delete message.sessionId;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.round = value;
                                else
                                    delete message.round;
                                continue;
                            }
                        case 6: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.sender = value;
                                else
                                    delete message.sender;
                                continue;
                            }
                        case 7: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.to = value;
                                else
                                    delete message.to;
                                continue;
                            }
                        case 8: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.kind = value;
                                else
                                    delete message.kind;
                                continue;
                            }
                        case 9: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.payload = value;
                                else
                                    delete message.payload;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Envelope;
            })();

            /**
             * CeremonyKind enum.
             * @name stv3.mpc.v1.CeremonyKind
             * @enum {number}
             * @property {number} CEREMONY_KIND_UNSPECIFIED=0 CEREMONY_KIND_UNSPECIFIED value
             * @property {number} CEREMONY_KIND_DKG=1 CEREMONY_KIND_DKG value
             * @property {number} CEREMONY_KIND_SIGN=2 CEREMONY_KIND_SIGN value
             * @property {number} CEREMONY_KIND_REFRESH=3 CEREMONY_KIND_REFRESH value
             * @property {number} CEREMONY_KIND_RESHARE=4 CEREMONY_KIND_RESHARE value
             */
            v1.CeremonyKind = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "CEREMONY_KIND_UNSPECIFIED"] = 0;
                values[valuesById[1] = "CEREMONY_KIND_DKG"] = 1;
                values[valuesById[2] = "CEREMONY_KIND_SIGN"] = 2;
                values[valuesById[3] = "CEREMONY_KIND_REFRESH"] = 3;
                values[valuesById[4] = "CEREMONY_KIND_RESHARE"] = 4;
                return values;
            })();

            v1.Proposal = (function() {

                /**
                 * Properties of a Proposal.
                 * @typedef {Object} stv3.mpc.v1.Proposal.$Properties
                 * @property {stv3.mpc.v1.CeremonyKind|null} [kind] Proposal kind
                 * @property {Uint8Array|null} [sessionNonce] Proposal sessionNonce
                 * @property {Array.<Uint8Array>|null} [committee] Proposal committee
                 * @property {number|null} [threshold] Proposal threshold
                 * @property {Uint8Array|null} [keyId] Proposal keyId
                 * @property {Array.<number>|null} [signers] Proposal signers
                 * @property {Uint8Array|null} [request] Proposal request
                 * @property {Array.<number>|null} [derivationPath] Proposal derivationPath
                 * @property {number|null} [epoch] Proposal epoch
                 * @property {Array.<Uint8Array>|null} [newCommittee] Proposal newCommittee
                 * @property {number|null} [newThreshold] Proposal newThreshold
                 * @property {number|null} [timeoutMs] Proposal timeoutMs
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Proposal.
                 * @memberof stv3.mpc.v1
                 * @interface IProposal
                 * @augments stv3.mpc.v1.Proposal.$Properties
                 * @deprecated Use stv3.mpc.v1.Proposal.$Properties instead.
                 */

                /**
                 * Shape of a Proposal.
                 * @typedef {stv3.mpc.v1.Proposal.$Properties} stv3.mpc.v1.Proposal.$Shape
                 */

                /**
                 * Constructs a new Proposal.
                 * @memberof stv3.mpc.v1
                 * @classdesc Represents a Proposal.
                 * @constructor
                 * @param {stv3.mpc.v1.Proposal.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Proposal = function (properties) {
                    this.committee = [];
                    this.signers = [];
                    this.derivationPath = [];
                    this.newCommittee = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Proposal kind.
                 * @member {stv3.mpc.v1.CeremonyKind} kind
                 * @memberof stv3.mpc.v1.Proposal
                 * @instance
                 */
                Proposal.prototype.kind = 0;

                /**
                 * Proposal sessionNonce.
                 * @member {Uint8Array} sessionNonce
                 * @memberof stv3.mpc.v1.Proposal
                 * @instance
                 */
                Proposal.prototype.sessionNonce = $util.newBuffer([]);

                /**
                 * Proposal committee.
                 * @member {Array.<Uint8Array>} committee
                 * @memberof stv3.mpc.v1.Proposal
                 * @instance
                 */
                Proposal.prototype.committee = $util.emptyArray;

                /**
                 * Proposal threshold.
                 * @member {number} threshold
                 * @memberof stv3.mpc.v1.Proposal
                 * @instance
                 */
                Proposal.prototype.threshold = 0;

                /**
                 * Proposal keyId.
                 * @member {Uint8Array} keyId
                 * @memberof stv3.mpc.v1.Proposal
                 * @instance
                 */
                Proposal.prototype.keyId = $util.newBuffer([]);

                /**
                 * Proposal signers.
                 * @member {Array.<number>} signers
                 * @memberof stv3.mpc.v1.Proposal
                 * @instance
                 */
                Proposal.prototype.signers = $util.emptyArray;

                /**
                 * Proposal request.
                 * @member {Uint8Array} request
                 * @memberof stv3.mpc.v1.Proposal
                 * @instance
                 */
                Proposal.prototype.request = $util.newBuffer([]);

                /**
                 * Proposal derivationPath.
                 * @member {Array.<number>} derivationPath
                 * @memberof stv3.mpc.v1.Proposal
                 * @instance
                 */
                Proposal.prototype.derivationPath = $util.emptyArray;

                /**
                 * Proposal epoch.
                 * @member {number} epoch
                 * @memberof stv3.mpc.v1.Proposal
                 * @instance
                 */
                Proposal.prototype.epoch = 0;

                /**
                 * Proposal newCommittee.
                 * @member {Array.<Uint8Array>} newCommittee
                 * @memberof stv3.mpc.v1.Proposal
                 * @instance
                 */
                Proposal.prototype.newCommittee = $util.emptyArray;

                /**
                 * Proposal newThreshold.
                 * @member {number} newThreshold
                 * @memberof stv3.mpc.v1.Proposal
                 * @instance
                 */
                Proposal.prototype.newThreshold = 0;

                /**
                 * Proposal timeoutMs.
                 * @member {number} timeoutMs
                 * @memberof stv3.mpc.v1.Proposal
                 * @instance
                 */
                Proposal.prototype.timeoutMs = 0;

                /**
                 * Encodes the specified Proposal message. Does not implicitly {@link stv3.mpc.v1.Proposal.verify|verify} messages.
                 * @function encode
                 * @memberof stv3.mpc.v1.Proposal
                 * @static
                 * @param {stv3.mpc.v1.Proposal.$Properties} message Proposal message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Proposal.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).int32(message.kind);
                    if (message.sessionNonce != null && $Object.hasOwnProperty.call(message, "sessionNonce") && message.sessionNonce.length)
                        writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.sessionNonce);
                    if (message.committee != null && message.committee.length)
                        for (let i = 0; i < message.committee.length; ++i)
                            writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.committee[i]);
                    if (message.threshold != null && $Object.hasOwnProperty.call(message, "threshold") && message.threshold !== 0)
                        writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.threshold);
                    if (message.keyId != null && $Object.hasOwnProperty.call(message, "keyId") && message.keyId.length)
                        writer.uint32(/* id 5, wireType 2 =*/42).bytes(message.keyId);
                    if (message.signers != null && message.signers.length)
                        writer.uint32(/* id 6, wireType 2 =*/50).uint32s(message.signers);
                    if (message.request != null && $Object.hasOwnProperty.call(message, "request") && message.request.length)
                        writer.uint32(/* id 7, wireType 2 =*/58).bytes(message.request);
                    if (message.derivationPath != null && message.derivationPath.length)
                        writer.uint32(/* id 8, wireType 2 =*/66).uint32s(message.derivationPath);
                    if (message.epoch != null && $Object.hasOwnProperty.call(message, "epoch") && message.epoch !== 0)
                        writer.uint32(/* id 9, wireType 0 =*/72).uint32(message.epoch);
                    if (message.newCommittee != null && message.newCommittee.length)
                        for (let i = 0; i < message.newCommittee.length; ++i)
                            writer.uint32(/* id 10, wireType 2 =*/82).bytes(message.newCommittee[i]);
                    if (message.newThreshold != null && $Object.hasOwnProperty.call(message, "newThreshold") && message.newThreshold !== 0)
                        writer.uint32(/* id 11, wireType 0 =*/88).uint32(message.newThreshold);
                    if (message.timeoutMs != null && $Object.hasOwnProperty.call(message, "timeoutMs") && message.timeoutMs !== 0)
                        writer.uint32(/* id 12, wireType 0 =*/96).uint32(message.timeoutMs);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Proposal message from the specified reader or buffer.
                 * @function decode
                 * @memberof stv3.mpc.v1.Proposal
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {stv3.mpc.v1.Proposal & stv3.mpc.v1.Proposal.$Shape} Proposal
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Proposal.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.stv3.mpc.v1.Proposal();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.int32())
                                    message.kind = value;
                                else
                                    delete message.kind;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.sessionNonce = value;
                                else
                                    delete message.sessionNonce;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.committee && message.committee.length))
                                    message.committee = [];
                                message.committee.push(reader.bytes());
                                continue;
                            }
                        case 4: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.threshold = value;
                                else
                                    delete message.threshold;
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.keyId = value;
                                else
                                    delete message.keyId;
                                continue;
                            }
                        case 6: {
                                if (wireType === 2) {
                                    if (!(message.signers && message.signers.length))
                                        message.signers = [];
                                    reader.uint32s(message.signers);
                                    continue;
                                }
                                if (wireType !== 0)
                                    break;
                                if (!(message.signers && message.signers.length))
                                    message.signers = [];
                                message.signers.push(reader.uint32());
                                continue;
                            }
                        case 7: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.request = value;
                                else
                                    delete message.request;
                                continue;
                            }
                        case 8: {
                                if (wireType === 2) {
                                    if (!(message.derivationPath && message.derivationPath.length))
                                        message.derivationPath = [];
                                    reader.uint32s(message.derivationPath);
                                    continue;
                                }
                                if (wireType !== 0)
                                    break;
                                if (!(message.derivationPath && message.derivationPath.length))
                                    message.derivationPath = [];
                                message.derivationPath.push(reader.uint32());
                                continue;
                            }
                        case 9: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.epoch = value;
                                else
                                    delete message.epoch;
                                continue;
                            }
                        case 10: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.newCommittee && message.newCommittee.length))
                                    message.newCommittee = [];
                                message.newCommittee.push(reader.bytes());
                                continue;
                            }
                        case 11: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.newThreshold = value;
                                else
                                    delete message.newThreshold;
                                continue;
                            }
                        case 12: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.timeoutMs = value;
                                else
                                    delete message.timeoutMs;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Proposal;
            })();

            v1.ProposalResponse = (function() {

                /**
                 * Properties of a ProposalResponse.
                 * @typedef {Object} stv3.mpc.v1.ProposalResponse.$Properties
                 * @property {Uint8Array|null} [sessionNonce] ProposalResponse sessionNonce
                 * @property {boolean|null} [accept] ProposalResponse accept
                 * @property {string|null} [code] ProposalResponse code
                 * @property {Array.<string>|null} [reasons] ProposalResponse reasons
                 * @property {Uint8Array|null} [contribution] ProposalResponse contribution
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a ProposalResponse.
                 * @memberof stv3.mpc.v1
                 * @interface IProposalResponse
                 * @augments stv3.mpc.v1.ProposalResponse.$Properties
                 * @deprecated Use stv3.mpc.v1.ProposalResponse.$Properties instead.
                 */

                /**
                 * Shape of a ProposalResponse.
                 * @typedef {stv3.mpc.v1.ProposalResponse.$Properties} stv3.mpc.v1.ProposalResponse.$Shape
                 */

                /**
                 * Constructs a new ProposalResponse.
                 * @memberof stv3.mpc.v1
                 * @classdesc Represents a ProposalResponse.
                 * @constructor
                 * @param {stv3.mpc.v1.ProposalResponse.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const ProposalResponse = function (properties) {
                    this.reasons = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * ProposalResponse sessionNonce.
                 * @member {Uint8Array} sessionNonce
                 * @memberof stv3.mpc.v1.ProposalResponse
                 * @instance
                 */
                ProposalResponse.prototype.sessionNonce = $util.newBuffer([]);

                /**
                 * ProposalResponse accept.
                 * @member {boolean} accept
                 * @memberof stv3.mpc.v1.ProposalResponse
                 * @instance
                 */
                ProposalResponse.prototype.accept = false;

                /**
                 * ProposalResponse code.
                 * @member {string} code
                 * @memberof stv3.mpc.v1.ProposalResponse
                 * @instance
                 */
                ProposalResponse.prototype.code = "";

                /**
                 * ProposalResponse reasons.
                 * @member {Array.<string>} reasons
                 * @memberof stv3.mpc.v1.ProposalResponse
                 * @instance
                 */
                ProposalResponse.prototype.reasons = $util.emptyArray;

                /**
                 * ProposalResponse contribution.
                 * @member {Uint8Array} contribution
                 * @memberof stv3.mpc.v1.ProposalResponse
                 * @instance
                 */
                ProposalResponse.prototype.contribution = $util.newBuffer([]);

                /**
                 * Encodes the specified ProposalResponse message. Does not implicitly {@link stv3.mpc.v1.ProposalResponse.verify|verify} messages.
                 * @function encode
                 * @memberof stv3.mpc.v1.ProposalResponse
                 * @static
                 * @param {stv3.mpc.v1.ProposalResponse.$Properties} message ProposalResponse message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                ProposalResponse.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.sessionNonce != null && $Object.hasOwnProperty.call(message, "sessionNonce") && message.sessionNonce.length)
                        writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.sessionNonce);
                    if (message.accept != null && $Object.hasOwnProperty.call(message, "accept") && message.accept !== false)
                        writer.uint32(/* id 2, wireType 0 =*/16).bool(message.accept);
                    if (message.code != null && $Object.hasOwnProperty.call(message, "code") && message.code !== "")
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.code);
                    if (message.reasons != null && message.reasons.length)
                        for (let i = 0; i < message.reasons.length; ++i)
                            writer.uint32(/* id 4, wireType 2 =*/34).string(message.reasons[i]);
                    if (message.contribution != null && $Object.hasOwnProperty.call(message, "contribution") && message.contribution.length)
                        writer.uint32(/* id 5, wireType 2 =*/42).bytes(message.contribution);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a ProposalResponse message from the specified reader or buffer.
                 * @function decode
                 * @memberof stv3.mpc.v1.ProposalResponse
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {stv3.mpc.v1.ProposalResponse & stv3.mpc.v1.ProposalResponse.$Shape} ProposalResponse
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                ProposalResponse.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.stv3.mpc.v1.ProposalResponse();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.sessionNonce = value;
                                else
                                    delete message.sessionNonce;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.bool())
                                    message.accept = value;
                                else
                                    delete message.accept;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.code = value;
                                else
                                    delete message.code;
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.reasons && message.reasons.length))
                                    message.reasons = [];
                                message.reasons.push(reader.stringVerify());
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.contribution = value;
                                else
                                    delete message.contribution;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return ProposalResponse;
            })();

            v1.Contribution = (function() {

                /**
                 * Properties of a Contribution.
                 * @typedef {Object} stv3.mpc.v1.Contribution.$Properties
                 * @property {number|null} [slot] Contribution slot
                 * @property {Uint8Array|null} [value] Contribution value
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Contribution.
                 * @memberof stv3.mpc.v1
                 * @interface IContribution
                 * @augments stv3.mpc.v1.Contribution.$Properties
                 * @deprecated Use stv3.mpc.v1.Contribution.$Properties instead.
                 */

                /**
                 * Shape of a Contribution.
                 * @typedef {stv3.mpc.v1.Contribution.$Properties} stv3.mpc.v1.Contribution.$Shape
                 */

                /**
                 * Constructs a new Contribution.
                 * @memberof stv3.mpc.v1
                 * @classdesc Represents a Contribution.
                 * @constructor
                 * @param {stv3.mpc.v1.Contribution.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Contribution = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Contribution slot.
                 * @member {number} slot
                 * @memberof stv3.mpc.v1.Contribution
                 * @instance
                 */
                Contribution.prototype.slot = 0;

                /**
                 * Contribution value.
                 * @member {Uint8Array} value
                 * @memberof stv3.mpc.v1.Contribution
                 * @instance
                 */
                Contribution.prototype.value = $util.newBuffer([]);

                /**
                 * Encodes the specified Contribution message. Does not implicitly {@link stv3.mpc.v1.Contribution.verify|verify} messages.
                 * @function encode
                 * @memberof stv3.mpc.v1.Contribution
                 * @static
                 * @param {stv3.mpc.v1.Contribution.$Properties} message Contribution message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Contribution.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.slot != null && $Object.hasOwnProperty.call(message, "slot") && message.slot !== 0)
                        writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.slot);
                    if (message.value != null && $Object.hasOwnProperty.call(message, "value") && message.value.length)
                        writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.value);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Contribution message from the specified reader or buffer.
                 * @function decode
                 * @memberof stv3.mpc.v1.Contribution
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {stv3.mpc.v1.Contribution & stv3.mpc.v1.Contribution.$Shape} Contribution
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Contribution.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.stv3.mpc.v1.Contribution();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 0)
                                    break;
                                if (value = reader.uint32())
                                    message.slot = value;
                                else
                                    delete message.slot;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.value = value;
                                else
                                    delete message.value;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Contribution;
            })();

            v1.Start = (function() {

                /**
                 * Properties of a Start.
                 * @typedef {Object} stv3.mpc.v1.Start.$Properties
                 * @property {Uint8Array|null} [sessionNonce] Start sessionNonce
                 * @property {Array.<stv3.mpc.v1.Contribution.$Properties>|null} [contributions] Start contributions
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Start.
                 * @memberof stv3.mpc.v1
                 * @interface IStart
                 * @augments stv3.mpc.v1.Start.$Properties
                 * @deprecated Use stv3.mpc.v1.Start.$Properties instead.
                 */

                /**
                 * Shape of a Start.
                 * @typedef {stv3.mpc.v1.Start.$Properties} stv3.mpc.v1.Start.$Shape
                 */

                /**
                 * Constructs a new Start.
                 * @memberof stv3.mpc.v1
                 * @classdesc Represents a Start.
                 * @constructor
                 * @param {stv3.mpc.v1.Start.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Start = function (properties) {
                    this.contributions = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Start sessionNonce.
                 * @member {Uint8Array} sessionNonce
                 * @memberof stv3.mpc.v1.Start
                 * @instance
                 */
                Start.prototype.sessionNonce = $util.newBuffer([]);

                /**
                 * Start contributions.
                 * @member {Array.<stv3.mpc.v1.Contribution.$Properties>} contributions
                 * @memberof stv3.mpc.v1.Start
                 * @instance
                 */
                Start.prototype.contributions = $util.emptyArray;

                /**
                 * Encodes the specified Start message. Does not implicitly {@link stv3.mpc.v1.Start.verify|verify} messages.
                 * @function encode
                 * @memberof stv3.mpc.v1.Start
                 * @static
                 * @param {stv3.mpc.v1.Start.$Properties} message Start message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Start.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.sessionNonce != null && $Object.hasOwnProperty.call(message, "sessionNonce") && message.sessionNonce.length)
                        writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.sessionNonce);
                    if (message.contributions != null && message.contributions.length)
                        for (let i = 0; i < message.contributions.length; ++i)
                            $root.stv3.mpc.v1.Contribution.encode(message.contributions[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Start message from the specified reader or buffer.
                 * @function decode
                 * @memberof stv3.mpc.v1.Start
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {stv3.mpc.v1.Start & stv3.mpc.v1.Start.$Shape} Start
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Start.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.stv3.mpc.v1.Start();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.sessionNonce = value;
                                else
                                    delete message.sessionNonce;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if (!(message.contributions && message.contributions.length))
                                    message.contributions = [];
                                message.contributions.push($root.stv3.mpc.v1.Contribution.decode(reader, reader.size(), $undefined, _depth + 1));
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Start;
            })();

            v1.Result = (function() {

                /**
                 * Properties of a Result.
                 * @typedef {Object} stv3.mpc.v1.Result.$Properties
                 * @property {Uint8Array|null} [sessionId] Result sessionId
                 * @property {Uint8Array|null} [output] Result output
                 * @property {Uint8Array|null} [transcriptHash] Result transcriptHash
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Result.
                 * @memberof stv3.mpc.v1
                 * @interface IResult
                 * @augments stv3.mpc.v1.Result.$Properties
                 * @deprecated Use stv3.mpc.v1.Result.$Properties instead.
                 */

                /**
                 * Shape of a Result.
                 * @typedef {stv3.mpc.v1.Result.$Properties} stv3.mpc.v1.Result.$Shape
                 */

                /**
                 * Constructs a new Result.
                 * @memberof stv3.mpc.v1
                 * @classdesc Represents a Result.
                 * @constructor
                 * @param {stv3.mpc.v1.Result.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Result = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Result sessionId.
                 * @member {Uint8Array} sessionId
                 * @memberof stv3.mpc.v1.Result
                 * @instance
                 */
                Result.prototype.sessionId = $util.newBuffer([]);

                /**
                 * Result output.
                 * @member {Uint8Array} output
                 * @memberof stv3.mpc.v1.Result
                 * @instance
                 */
                Result.prototype.output = $util.newBuffer([]);

                /**
                 * Result transcriptHash.
                 * @member {Uint8Array} transcriptHash
                 * @memberof stv3.mpc.v1.Result
                 * @instance
                 */
                Result.prototype.transcriptHash = $util.newBuffer([]);

                /**
                 * Encodes the specified Result message. Does not implicitly {@link stv3.mpc.v1.Result.verify|verify} messages.
                 * @function encode
                 * @memberof stv3.mpc.v1.Result
                 * @static
                 * @param {stv3.mpc.v1.Result.$Properties} message Result message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Result.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId") && message.sessionId.length)
                        writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.sessionId);
                    if (message.output != null && $Object.hasOwnProperty.call(message, "output") && message.output.length)
                        writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.output);
                    if (message.transcriptHash != null && $Object.hasOwnProperty.call(message, "transcriptHash") && message.transcriptHash.length)
                        writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.transcriptHash);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Result message from the specified reader or buffer.
                 * @function decode
                 * @memberof stv3.mpc.v1.Result
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {stv3.mpc.v1.Result & stv3.mpc.v1.Result.$Shape} Result
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Result.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.stv3.mpc.v1.Result();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.sessionId = value;
                                else
                                    delete message.sessionId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.output = value;
                                else
                                    delete message.output;
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.transcriptHash = value;
                                else
                                    delete message.transcriptHash;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Result;
            })();

            v1.Abort = (function() {

                /**
                 * Properties of an Abort.
                 * @typedef {Object} stv3.mpc.v1.Abort.$Properties
                 * @property {Uint8Array|null} [sessionId] Abort sessionId
                 * @property {string|null} [code] Abort code
                 * @property {Array.<number>|null} [culprits] Abort culprits
                 * @property {string|null} [reason] Abort reason
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of an Abort.
                 * @memberof stv3.mpc.v1
                 * @interface IAbort
                 * @augments stv3.mpc.v1.Abort.$Properties
                 * @deprecated Use stv3.mpc.v1.Abort.$Properties instead.
                 */

                /**
                 * Shape of an Abort.
                 * @typedef {stv3.mpc.v1.Abort.$Properties} stv3.mpc.v1.Abort.$Shape
                 */

                /**
                 * Constructs a new Abort.
                 * @memberof stv3.mpc.v1
                 * @classdesc Represents an Abort.
                 * @constructor
                 * @param {stv3.mpc.v1.Abort.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Abort = function (properties) {
                    this.culprits = [];
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Abort sessionId.
                 * @member {Uint8Array} sessionId
                 * @memberof stv3.mpc.v1.Abort
                 * @instance
                 */
                Abort.prototype.sessionId = $util.newBuffer([]);

                /**
                 * Abort code.
                 * @member {string} code
                 * @memberof stv3.mpc.v1.Abort
                 * @instance
                 */
                Abort.prototype.code = "";

                /**
                 * Abort culprits.
                 * @member {Array.<number>} culprits
                 * @memberof stv3.mpc.v1.Abort
                 * @instance
                 */
                Abort.prototype.culprits = $util.emptyArray;

                /**
                 * Abort reason.
                 * @member {string} reason
                 * @memberof stv3.mpc.v1.Abort
                 * @instance
                 */
                Abort.prototype.reason = "";

                /**
                 * Encodes the specified Abort message. Does not implicitly {@link stv3.mpc.v1.Abort.verify|verify} messages.
                 * @function encode
                 * @memberof stv3.mpc.v1.Abort
                 * @static
                 * @param {stv3.mpc.v1.Abort.$Properties} message Abort message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Abort.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.sessionId != null && $Object.hasOwnProperty.call(message, "sessionId") && message.sessionId.length)
                        writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.sessionId);
                    if (message.code != null && $Object.hasOwnProperty.call(message, "code") && message.code !== "")
                        writer.uint32(/* id 2, wireType 2 =*/18).string(message.code);
                    if (message.culprits != null && message.culprits.length)
                        writer.uint32(/* id 3, wireType 2 =*/26).uint32s(message.culprits);
                    if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.reason);
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes an Abort message from the specified reader or buffer.
                 * @function decode
                 * @memberof stv3.mpc.v1.Abort
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {stv3.mpc.v1.Abort & stv3.mpc.v1.Abort.$Shape} Abort
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Abort.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message, value;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.stv3.mpc.v1.Abort();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.bytes()).length)
                                    message.sessionId = value;
                                else
                                    delete message.sessionId;
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.code = value;
                                else
                                    delete message.code;
                                continue;
                            }
                        case 3: {
                                if (wireType === 2) {
                                    if (!(message.culprits && message.culprits.length))
                                        message.culprits = [];
                                    reader.uint32s(message.culprits);
                                    continue;
                                }
                                if (wireType !== 0)
                                    break;
                                if (!(message.culprits && message.culprits.length))
                                    message.culprits = [];
                                message.culprits.push(reader.uint32());
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                if ((value = reader.stringVerify()).length)
                                    message.reason = value;
                                else
                                    delete message.reason;
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Abort;
            })();

            v1.Control = (function() {

                /**
                 * Properties of a Control.
                 * @typedef {Object} stv3.mpc.v1.Control.$Properties
                 * @property {stv3.mpc.v1.Proposal.$Properties|null} [proposal] Control proposal
                 * @property {stv3.mpc.v1.ProposalResponse.$Properties|null} [response] Control response
                 * @property {stv3.mpc.v1.Start.$Properties|null} [start] Control start
                 * @property {stv3.mpc.v1.Result.$Properties|null} [result] Control result
                 * @property {stv3.mpc.v1.Abort.$Properties|null} [abort] Control abort
                 * @property {"proposal"|"response"|"start"|"result"|"abort"} [body] Control body
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */

                /**
                 * Properties of a Control.
                 * @memberof stv3.mpc.v1
                 * @interface IControl
                 * @augments stv3.mpc.v1.Control.$Properties
                 * @deprecated Use stv3.mpc.v1.Control.$Properties instead.
                 */

                /**
                 * Narrowed shape of a Control.
                 * @typedef {{
                 *   proposal?: stv3.mpc.v1.Proposal.$Shape|null;
                 *   response?: stv3.mpc.v1.ProposalResponse.$Shape|null;
                 *   start?: stv3.mpc.v1.Start.$Shape|null;
                 *   result?: stv3.mpc.v1.Result.$Shape|null;
                 *   abort?: stv3.mpc.v1.Abort.$Shape|null;
                 *   $unknowns?: Array.<Uint8Array>;
                 * } & (
                 *   ({ body?: undefined; proposal?: null; response?: null; start?: null; result?: null; abort?: null }|{ body?: "proposal"; proposal: stv3.mpc.v1.Proposal.$Shape; response?: null; start?: null; result?: null; abort?: null }|{ body?: "response"; proposal?: null; response: stv3.mpc.v1.ProposalResponse.$Shape; start?: null; result?: null; abort?: null }|{ body?: "start"; proposal?: null; response?: null; start: stv3.mpc.v1.Start.$Shape; result?: null; abort?: null }|{ body?: "result"; proposal?: null; response?: null; start?: null; result: stv3.mpc.v1.Result.$Shape; abort?: null }|{ body?: "abort"; proposal?: null; response?: null; start?: null; result?: null; abort: stv3.mpc.v1.Abort.$Shape })
                 * )} stv3.mpc.v1.Control.$Shape
                 */

                /**
                 * Constructs a new Control.
                 * @memberof stv3.mpc.v1
                 * @classdesc Represents a Control.
                 * @constructor
                 * @param {stv3.mpc.v1.Control.$Properties=} [properties] Properties to set
                 * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
                 */
                const Control = function (properties) {
                    if (properties)
                        for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                            if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                this[keys[i]] = properties[keys[i]];
                };

                /**
                 * Control proposal.
                 * @member {stv3.mpc.v1.Proposal.$Properties|null|undefined} proposal
                 * @memberof stv3.mpc.v1.Control
                 * @instance
                 */
                Control.prototype.proposal = null;

                /**
                 * Control response.
                 * @member {stv3.mpc.v1.ProposalResponse.$Properties|null|undefined} response
                 * @memberof stv3.mpc.v1.Control
                 * @instance
                 */
                Control.prototype.response = null;

                /**
                 * Control start.
                 * @member {stv3.mpc.v1.Start.$Properties|null|undefined} start
                 * @memberof stv3.mpc.v1.Control
                 * @instance
                 */
                Control.prototype.start = null;

                /**
                 * Control result.
                 * @member {stv3.mpc.v1.Result.$Properties|null|undefined} result
                 * @memberof stv3.mpc.v1.Control
                 * @instance
                 */
                Control.prototype.result = null;

                /**
                 * Control abort.
                 * @member {stv3.mpc.v1.Abort.$Properties|null|undefined} abort
                 * @memberof stv3.mpc.v1.Control
                 * @instance
                 */
                Control.prototype.abort = null;

                // OneOf field names bound to virtual getters and setters
                let $oneOfFields;

                /**
                 * Control body.
                 * @member {"proposal"|"response"|"start"|"result"|"abort"|undefined} body
                 * @memberof stv3.mpc.v1.Control
                 * @instance
                 */
                $Object.defineProperty(Control.prototype, "body", {
                    get: $util.oneOfGetter($oneOfFields = ["proposal", "response", "start", "result", "abort"]),
                    set: $util.oneOfSetter($oneOfFields)
                });

                /**
                 * Encodes the specified Control message. Does not implicitly {@link stv3.mpc.v1.Control.verify|verify} messages.
                 * @function encode
                 * @memberof stv3.mpc.v1.Control
                 * @static
                 * @param {stv3.mpc.v1.Control.$Properties} message Control message or plain object to encode
                 * @param {$protobuf.Writer} [writer] Writer to encode to
                 * @returns {$protobuf.Writer} Writer
                 */
                Control.encode = function (message, writer, _depth) {
                    if (!writer)
                        writer = $Writer.create();
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $util.recursionLimit)
                        throw $Error("max depth exceeded");
                    if (message.proposal != null && $Object.hasOwnProperty.call(message, "proposal"))
                        $root.stv3.mpc.v1.Proposal.encode(message.proposal, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                    if (message.response != null && $Object.hasOwnProperty.call(message, "response"))
                        $root.stv3.mpc.v1.ProposalResponse.encode(message.response, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                    if (message.start != null && $Object.hasOwnProperty.call(message, "start"))
                        $root.stv3.mpc.v1.Start.encode(message.start, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                    if (message.result != null && $Object.hasOwnProperty.call(message, "result"))
                        $root.stv3.mpc.v1.Result.encode(message.result, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                    if (message.abort != null && $Object.hasOwnProperty.call(message, "abort"))
                        $root.stv3.mpc.v1.Abort.encode(message.abort, writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                    if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                        for (let i = 0; i < message.$unknowns.length; ++i)
                            writer.raw(message.$unknowns[i]);
                    return writer;
                };

                /**
                 * Decodes a Control message from the specified reader or buffer.
                 * @function decode
                 * @memberof stv3.mpc.v1.Control
                 * @static
                 * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
                 * @param {number} [length] Message length if known beforehand
                 * @returns {stv3.mpc.v1.Control & stv3.mpc.v1.Control.$Shape} Control
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                Control.decode = function (reader, length, _end, _depth, _target) {
                    if (!(reader instanceof $Reader))
                        reader = $Reader.create(reader);
                    if (_depth === $undefined)
                        _depth = 0;
                    if (_depth > $Reader.recursionLimit)
                        throw $Error("max depth exceeded");
                    let end, message;
                    if (length === $undefined)
                        end = reader.len;
                    else {
                        end = reader.pos + length;
                        if (end > reader.len)
                            throw $RangeError("index out of range");
                        length = reader.len;
                        reader.len = end;
                    }
                    message = _target || new $root.stv3.mpc.v1.Control();
                    while (reader.pos < end) {
                        let start = reader.pos;
                        let tag = reader.tag();
                        if (tag === _end) {
                            _end = $undefined;
                            break;
                        }
                        let wireType = tag & 7;
                        switch (tag >>>= 3) {
                        case 1: {
                                if (wireType !== 2)
                                    break;
                                message.proposal = $root.stv3.mpc.v1.Proposal.decode(reader, reader.size(), $undefined, _depth + 1, message.proposal);
                                message.body = "proposal";
                                continue;
                            }
                        case 2: {
                                if (wireType !== 2)
                                    break;
                                message.response = $root.stv3.mpc.v1.ProposalResponse.decode(reader, reader.size(), $undefined, _depth + 1, message.response);
                                message.body = "response";
                                continue;
                            }
                        case 3: {
                                if (wireType !== 2)
                                    break;
                                message.start = $root.stv3.mpc.v1.Start.decode(reader, reader.size(), $undefined, _depth + 1, message.start);
                                message.body = "start";
                                continue;
                            }
                        case 4: {
                                if (wireType !== 2)
                                    break;
                                message.result = $root.stv3.mpc.v1.Result.decode(reader, reader.size(), $undefined, _depth + 1, message.result);
                                message.body = "result";
                                continue;
                            }
                        case 5: {
                                if (wireType !== 2)
                                    break;
                                message.abort = $root.stv3.mpc.v1.Abort.decode(reader, reader.size(), $undefined, _depth + 1, message.abort);
                                message.body = "abort";
                                continue;
                            }
                        }
                        reader.skipType(wireType, _depth, tag);
                        if (!reader.discardUnknown) {
                            $util.makeProp(message, "$unknowns", false);
                            (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                        }
                    }
                    if (length !== $undefined) {
                        if (reader.pos !== end)
                            throw $RangeError("index out of range");
                        reader.len = length;
                    }
                    if (_end !== $undefined)
                        throw $Error("missing end group");
                    return message;
                };

                return Control;
            })();

            return v1;
        })();

        return mpc;
    })();

    return stv3;
})();

export {
  $root as default
};
