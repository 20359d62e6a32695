// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Events and errors of the STV3 token surface (stv3.md §4.1, §4.2, §7).
/// @dev Names follow STV3; field lists are this project's where STV3's are not public (see README).
interface ISTV3Token {
    event DeployerRightsTransferred(address indexed previousDeployer, address indexed newDeployer);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event TreasuryChanged(address indexed previousTreasury, address indexed newTreasury);
    event Issued(address indexed treasury, uint256 amount, address indexed issuedBy);
    event Redeemed(address indexed treasury, uint256 amount, address indexed redeemedBy);
    event Trust(address indexed account);
    event Distrust(address indexed account);
    event ValidationRuleLinked(address indexed rule);
    event ValidationRuleUnlinked(address indexed rule);
    event TokenPaused(address indexed by);
    event TokenUnpaused(address indexed by);
    event MaxIssuanceChanged(uint256 maxIssuance);
    event MaxSupplyChanged(uint256 maxSupply);
    /// @dev EmergencyFacet's event; `description` is "Transfer", "Mint" or "Burn".
    event Forced(string description, address indexed from, address indexed to, uint256 amount, address indexed forcedBy);

    error NotDeployer(address caller);
    error ZeroAddressNotAllowed();
    error DefaultAdminRoleManagedBySlots();
    error TreasuryNotSet();
    error FundsTransferProhibited();
    error TokenAlreadyPaused();
    error TokenNotPaused();
    error MaxSupplyExceeded(uint256 maxSupply);
    error MaxIssuanceExceeded(uint256 maxIssuance);
    error AlreadyTrusted(address account);
    error NotTrusted(address account);
    error InvalidRule(address rule);
    error RuleAlreadyLinked(address rule);
    error RuleNotLinked(address rule);
}
