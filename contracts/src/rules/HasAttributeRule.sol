// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStoboxDID} from "../interfaces/IStoboxDID.sol";
import {IValidationRule} from "../interfaces/IValidationRule.sol";

/// @title HasAttributeRule: each non-exempt side must carry a present, unexpired DID attribute.
/// @dev Not a deployed STV3 rule (stv3.md §4.3 lists only HasDIDRule); it applies the attribute
///      expiry of §5 at transfer time, e.g. a "KYC" attribute holding the hash of a verifiable
///      credential. Link it next to HasDIDRule, which still checks the DID itself.
contract HasAttributeRule is IValidationRule {
    error NotValidAttributeOf(address account, string attributeName);

    IStoboxDID public immutable didRegistry;
    string public attributeName;

    constructor(IStoboxDID registry, string memory requiredAttribute) {
        require(address(registry).code.length > 0, "HasAttributeRule: registry is not a contract");
        require(bytes(requiredAttribute).length > 0, "HasAttributeRule: empty attribute name");
        didRegistry = registry;
        attributeName = requiredAttribute;
    }

    function validate(address from, address to, uint256) external view {
        if (from != address(0) && !hasValidAttribute(from)) revert NotValidAttributeOf(from, attributeName);
        if (to != address(0) && !hasValidAttribute(to)) revert NotValidAttributeOf(to, attributeName);
    }

    function description() external view returns (string memory) {
        return string.concat("HasAttributeRule: sender and receiver must hold an unexpired ", attributeName, " attribute");
    }

    /// @notice Never reverts.
    function hasValidAttribute(address account) public view returns (bool) {
        try didRegistry.getAttribute(account, attributeName) returns (
            bytes memory, string memory, uint256 createdAt, uint256, uint256 validTo, address
        ) {
            return createdAt != 0 && validTo > block.timestamp;
        } catch {
            return false;
        }
    }
}
