import * as $protobuf from "protobufjs";

/** Namespace stv3. */
export namespace stv3 {

    /** Namespace mpc. */
    namespace mpc {

        /** Namespace v1. */
        namespace v1 {

            /** Protocol enum. */
            enum Protocol {

                /** PROTOCOL_UNSPECIFIED value */
                PROTOCOL_UNSPECIFIED = 0,

                /** PROTOCOL_DKG value */
                PROTOCOL_DKG = 1,

                /** PROTOCOL_SIGN value */
                PROTOCOL_SIGN = 2,

                /** PROTOCOL_REFRESH value */
                PROTOCOL_REFRESH = 3,

                /** PROTOCOL_RESHARE value */
                PROTOCOL_RESHARE = 4,

                /** PROTOCOL_CONTROL value */
                PROTOCOL_CONTROL = 5
            }

            /** Delivery enum. */
            enum Delivery {

                /** DELIVERY_UNSPECIFIED value */
                DELIVERY_UNSPECIFIED = 0,

                /** DELIVERY_BROADCAST value */
                DELIVERY_BROADCAST = 1,

                /** DELIVERY_DIRECT value */
                DELIVERY_DIRECT = 2
            }

            /**
             * Properties of an Envelope.
             * @deprecated Use stv3.mpc.v1.Envelope.$Properties instead.
             */
            interface IEnvelope extends stv3.mpc.v1.Envelope.$Properties {
            }

            /** Represents an Envelope. */
            class Envelope {

                /**
                 * Constructs a new Envelope.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: stv3.mpc.v1.Envelope.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Envelope version. */
                version: number;

                /** Envelope protocol. */
                protocol: stv3.mpc.v1.Protocol;

                /** Envelope keyId. */
                keyId: Uint8Array;

                /** Envelope sessionId. */
                sessionId: Uint8Array;

                /** Envelope round. */
                round: number;

                /** Envelope sender. */
                sender: number;

                /** Envelope to. */
                to: number;

                /** Envelope kind. */
                kind: stv3.mpc.v1.Delivery;

                /** Envelope payload. */
                payload: Uint8Array;

                /**
                 * Encodes the specified Envelope message. Does not implicitly {@link stv3.mpc.v1.Envelope.verify|verify} messages.
                 * @param message Envelope message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: stv3.mpc.v1.Envelope.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Envelope message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {stv3.mpc.v1.Envelope & stv3.mpc.v1.Envelope.$Shape} Envelope
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): stv3.mpc.v1.Envelope & stv3.mpc.v1.Envelope.$Shape;
            }

            namespace Envelope {

                /** Properties of an Envelope. */
                interface $Properties {

                    /** Envelope version */
                    version?: (number|null);

                    /** Envelope protocol */
                    protocol?: (stv3.mpc.v1.Protocol|null);

                    /** Envelope keyId */
                    keyId?: (Uint8Array|null);

                    /** Envelope sessionId */
                    sessionId?: (Uint8Array|null);

                    /** Envelope round */
                    round?: (number|null);

                    /** Envelope sender */
                    sender?: (number|null);

                    /** Envelope to */
                    to?: (number|null);

                    /** Envelope kind */
                    kind?: (stv3.mpc.v1.Delivery|null);

                    /** Envelope payload */
                    payload?: (Uint8Array|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an Envelope. */
                type $Shape = stv3.mpc.v1.Envelope.$Properties;
            }

            /** CeremonyKind enum. */
            enum CeremonyKind {

                /** CEREMONY_KIND_UNSPECIFIED value */
                CEREMONY_KIND_UNSPECIFIED = 0,

                /** CEREMONY_KIND_DKG value */
                CEREMONY_KIND_DKG = 1,

                /** CEREMONY_KIND_SIGN value */
                CEREMONY_KIND_SIGN = 2,

                /** CEREMONY_KIND_REFRESH value */
                CEREMONY_KIND_REFRESH = 3,

                /** CEREMONY_KIND_RESHARE value */
                CEREMONY_KIND_RESHARE = 4
            }

            /**
             * Properties of a Proposal.
             * @deprecated Use stv3.mpc.v1.Proposal.$Properties instead.
             */
            interface IProposal extends stv3.mpc.v1.Proposal.$Properties {
            }

            /** Represents a Proposal. */
            class Proposal {

                /**
                 * Constructs a new Proposal.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: stv3.mpc.v1.Proposal.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Proposal kind. */
                kind: stv3.mpc.v1.CeremonyKind;

                /** Proposal sessionNonce. */
                sessionNonce: Uint8Array;

                /** Proposal committee. */
                committee: Uint8Array[];

                /** Proposal threshold. */
                threshold: number;

                /** Proposal keyId. */
                keyId: Uint8Array;

                /** Proposal signers. */
                signers: number[];

                /** Proposal request. */
                request: Uint8Array;

                /** Proposal derivationPath. */
                derivationPath: number[];

                /** Proposal epoch. */
                epoch: number;

                /** Proposal newCommittee. */
                newCommittee: Uint8Array[];

                /** Proposal newThreshold. */
                newThreshold: number;

                /** Proposal timeoutMs. */
                timeoutMs: number;

                /**
                 * Encodes the specified Proposal message. Does not implicitly {@link stv3.mpc.v1.Proposal.verify|verify} messages.
                 * @param message Proposal message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: stv3.mpc.v1.Proposal.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Proposal message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {stv3.mpc.v1.Proposal & stv3.mpc.v1.Proposal.$Shape} Proposal
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): stv3.mpc.v1.Proposal & stv3.mpc.v1.Proposal.$Shape;
            }

            namespace Proposal {

                /** Properties of a Proposal. */
                interface $Properties {

                    /** Proposal kind */
                    kind?: (stv3.mpc.v1.CeremonyKind|null);

                    /** Proposal sessionNonce */
                    sessionNonce?: (Uint8Array|null);

                    /** Proposal committee */
                    committee?: (Uint8Array[]|null);

                    /** Proposal threshold */
                    threshold?: (number|null);

                    /** Proposal keyId */
                    keyId?: (Uint8Array|null);

                    /** Proposal signers */
                    signers?: (number[]|null);

                    /** Proposal request */
                    request?: (Uint8Array|null);

                    /** Proposal derivationPath */
                    derivationPath?: (number[]|null);

                    /** Proposal epoch */
                    epoch?: (number|null);

                    /** Proposal newCommittee */
                    newCommittee?: (Uint8Array[]|null);

                    /** Proposal newThreshold */
                    newThreshold?: (number|null);

                    /** Proposal timeoutMs */
                    timeoutMs?: (number|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Proposal. */
                type $Shape = stv3.mpc.v1.Proposal.$Properties;
            }

            /**
             * Properties of a ProposalResponse.
             * @deprecated Use stv3.mpc.v1.ProposalResponse.$Properties instead.
             */
            interface IProposalResponse extends stv3.mpc.v1.ProposalResponse.$Properties {
            }

            /** Represents a ProposalResponse. */
            class ProposalResponse {

                /**
                 * Constructs a new ProposalResponse.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: stv3.mpc.v1.ProposalResponse.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** ProposalResponse sessionNonce. */
                sessionNonce: Uint8Array;

                /** ProposalResponse accept. */
                accept: boolean;

                /** ProposalResponse code. */
                code: string;

                /** ProposalResponse reasons. */
                reasons: string[];

                /** ProposalResponse contribution. */
                contribution: Uint8Array;

                /**
                 * Encodes the specified ProposalResponse message. Does not implicitly {@link stv3.mpc.v1.ProposalResponse.verify|verify} messages.
                 * @param message ProposalResponse message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: stv3.mpc.v1.ProposalResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a ProposalResponse message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {stv3.mpc.v1.ProposalResponse & stv3.mpc.v1.ProposalResponse.$Shape} ProposalResponse
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): stv3.mpc.v1.ProposalResponse & stv3.mpc.v1.ProposalResponse.$Shape;
            }

            namespace ProposalResponse {

                /** Properties of a ProposalResponse. */
                interface $Properties {

                    /** ProposalResponse sessionNonce */
                    sessionNonce?: (Uint8Array|null);

                    /** ProposalResponse accept */
                    accept?: (boolean|null);

                    /** ProposalResponse code */
                    code?: (string|null);

                    /** ProposalResponse reasons */
                    reasons?: (string[]|null);

                    /** ProposalResponse contribution */
                    contribution?: (Uint8Array|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a ProposalResponse. */
                type $Shape = stv3.mpc.v1.ProposalResponse.$Properties;
            }

            /**
             * Properties of a Contribution.
             * @deprecated Use stv3.mpc.v1.Contribution.$Properties instead.
             */
            interface IContribution extends stv3.mpc.v1.Contribution.$Properties {
            }

            /** Represents a Contribution. */
            class Contribution {

                /**
                 * Constructs a new Contribution.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: stv3.mpc.v1.Contribution.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Contribution slot. */
                slot: number;

                /** Contribution value. */
                value: Uint8Array;

                /**
                 * Encodes the specified Contribution message. Does not implicitly {@link stv3.mpc.v1.Contribution.verify|verify} messages.
                 * @param message Contribution message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: stv3.mpc.v1.Contribution.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Contribution message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {stv3.mpc.v1.Contribution & stv3.mpc.v1.Contribution.$Shape} Contribution
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): stv3.mpc.v1.Contribution & stv3.mpc.v1.Contribution.$Shape;
            }

            namespace Contribution {

                /** Properties of a Contribution. */
                interface $Properties {

                    /** Contribution slot */
                    slot?: (number|null);

                    /** Contribution value */
                    value?: (Uint8Array|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Contribution. */
                type $Shape = stv3.mpc.v1.Contribution.$Properties;
            }

            /**
             * Properties of a Start.
             * @deprecated Use stv3.mpc.v1.Start.$Properties instead.
             */
            interface IStart extends stv3.mpc.v1.Start.$Properties {
            }

            /** Represents a Start. */
            class Start {

                /**
                 * Constructs a new Start.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: stv3.mpc.v1.Start.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Start sessionNonce. */
                sessionNonce: Uint8Array;

                /** Start contributions. */
                contributions: stv3.mpc.v1.Contribution.$Properties[];

                /**
                 * Encodes the specified Start message. Does not implicitly {@link stv3.mpc.v1.Start.verify|verify} messages.
                 * @param message Start message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: stv3.mpc.v1.Start.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Start message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {stv3.mpc.v1.Start & stv3.mpc.v1.Start.$Shape} Start
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): stv3.mpc.v1.Start & stv3.mpc.v1.Start.$Shape;
            }

            namespace Start {

                /** Properties of a Start. */
                interface $Properties {

                    /** Start sessionNonce */
                    sessionNonce?: (Uint8Array|null);

                    /** Start contributions */
                    contributions?: (stv3.mpc.v1.Contribution.$Properties[]|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Start. */
                type $Shape = stv3.mpc.v1.Start.$Properties;
            }

            /**
             * Properties of a Result.
             * @deprecated Use stv3.mpc.v1.Result.$Properties instead.
             */
            interface IResult extends stv3.mpc.v1.Result.$Properties {
            }

            /** Represents a Result. */
            class Result {

                /**
                 * Constructs a new Result.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: stv3.mpc.v1.Result.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Result sessionId. */
                sessionId: Uint8Array;

                /** Result output. */
                output: Uint8Array;

                /** Result transcriptHash. */
                transcriptHash: Uint8Array;

                /**
                 * Encodes the specified Result message. Does not implicitly {@link stv3.mpc.v1.Result.verify|verify} messages.
                 * @param message Result message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: stv3.mpc.v1.Result.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Result message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {stv3.mpc.v1.Result & stv3.mpc.v1.Result.$Shape} Result
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): stv3.mpc.v1.Result & stv3.mpc.v1.Result.$Shape;
            }

            namespace Result {

                /** Properties of a Result. */
                interface $Properties {

                    /** Result sessionId */
                    sessionId?: (Uint8Array|null);

                    /** Result output */
                    output?: (Uint8Array|null);

                    /** Result transcriptHash */
                    transcriptHash?: (Uint8Array|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of a Result. */
                type $Shape = stv3.mpc.v1.Result.$Properties;
            }

            /**
             * Properties of an Abort.
             * @deprecated Use stv3.mpc.v1.Abort.$Properties instead.
             */
            interface IAbort extends stv3.mpc.v1.Abort.$Properties {
            }

            /** Represents an Abort. */
            class Abort {

                /**
                 * Constructs a new Abort.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: stv3.mpc.v1.Abort.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Abort sessionId. */
                sessionId: Uint8Array;

                /** Abort code. */
                code: string;

                /** Abort culprits. */
                culprits: number[];

                /** Abort reason. */
                reason: string;

                /**
                 * Encodes the specified Abort message. Does not implicitly {@link stv3.mpc.v1.Abort.verify|verify} messages.
                 * @param message Abort message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: stv3.mpc.v1.Abort.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes an Abort message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {stv3.mpc.v1.Abort & stv3.mpc.v1.Abort.$Shape} Abort
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): stv3.mpc.v1.Abort & stv3.mpc.v1.Abort.$Shape;
            }

            namespace Abort {

                /** Properties of an Abort. */
                interface $Properties {

                    /** Abort sessionId */
                    sessionId?: (Uint8Array|null);

                    /** Abort code */
                    code?: (string|null);

                    /** Abort culprits */
                    culprits?: (number[]|null);

                    /** Abort reason */
                    reason?: (string|null);

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Shape of an Abort. */
                type $Shape = stv3.mpc.v1.Abort.$Properties;
            }

            /**
             * Properties of a Control.
             * @deprecated Use stv3.mpc.v1.Control.$Properties instead.
             */
            interface IControl extends stv3.mpc.v1.Control.$Properties {
            }

            /** Represents a Control. */
            class Control {

                /**
                 * Constructs a new Control.
                 * @param [properties] Properties to set
                 */
                constructor(properties?: stv3.mpc.v1.Control.$Properties);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];

                /** Control proposal. */
                proposal?: (stv3.mpc.v1.Proposal.$Properties|null);

                /** Control response. */
                response?: (stv3.mpc.v1.ProposalResponse.$Properties|null);

                /** Control start. */
                start?: (stv3.mpc.v1.Start.$Properties|null);

                /** Control result. */
                result?: (stv3.mpc.v1.Result.$Properties|null);

                /** Control abort. */
                abort?: (stv3.mpc.v1.Abort.$Properties|null);

                /** Control body. */
                body?: ("proposal"|"response"|"start"|"result"|"abort");

                /**
                 * Encodes the specified Control message. Does not implicitly {@link stv3.mpc.v1.Control.verify|verify} messages.
                 * @param message Control message or plain object to encode
                 * @param [writer] Writer to encode to
                 * @returns Writer
                 */
                static encode(message: stv3.mpc.v1.Control.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

                /**
                 * Decodes a Control message from the specified reader or buffer.
                 * @param reader Reader or buffer to decode from
                 * @param [length] Message length if known beforehand
                 * @returns {stv3.mpc.v1.Control & stv3.mpc.v1.Control.$Shape} Control
                 * @throws {Error} If the payload is not a reader or valid buffer
                 * @throws {$protobuf.util.ProtocolError} If required fields are missing
                 */
                static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): stv3.mpc.v1.Control & stv3.mpc.v1.Control.$Shape;
            }

            namespace Control {

                /** Properties of a Control. */
                interface $Properties {

                    /** Control proposal */
                    proposal?: (stv3.mpc.v1.Proposal.$Properties|null);

                    /** Control response */
                    response?: (stv3.mpc.v1.ProposalResponse.$Properties|null);

                    /** Control start */
                    start?: (stv3.mpc.v1.Start.$Properties|null);

                    /** Control result */
                    result?: (stv3.mpc.v1.Result.$Properties|null);

                    /** Control abort */
                    abort?: (stv3.mpc.v1.Abort.$Properties|null);

                    /** Control body */
                    body?: ("proposal"|"response"|"start"|"result"|"abort");

                    /** Unknown fields preserved while decoding when enabled */
                    $unknowns?: Uint8Array[];
                }

                /** Narrowed shape of a Control. */
                type $Shape = {
                  proposal?: stv3.mpc.v1.Proposal.$Shape|null;
                  response?: stv3.mpc.v1.ProposalResponse.$Shape|null;
                  start?: stv3.mpc.v1.Start.$Shape|null;
                  result?: stv3.mpc.v1.Result.$Shape|null;
                  abort?: stv3.mpc.v1.Abort.$Shape|null;
                  $unknowns?: Uint8Array[];
                } & (
                  ({ body?: undefined; proposal?: null; response?: null; start?: null; result?: null; abort?: null }|{ body?: "proposal"; proposal: stv3.mpc.v1.Proposal.$Shape; response?: null; start?: null; result?: null; abort?: null }|{ body?: "response"; proposal?: null; response: stv3.mpc.v1.ProposalResponse.$Shape; start?: null; result?: null; abort?: null }|{ body?: "start"; proposal?: null; response?: null; start: stv3.mpc.v1.Start.$Shape; result?: null; abort?: null }|{ body?: "result"; proposal?: null; response?: null; start?: null; result: stv3.mpc.v1.Result.$Shape; abort?: null }|{ body?: "abort"; proposal?: null; response?: null; start?: null; result?: null; abort: stv3.mpc.v1.Abort.$Shape })
                );
            }
        }
    }
}
